using Leaf.Sdk.Tests.Core;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Round7Options;

/// <summary>The settings as a host reads them: environment variables (Leaf__MaxRetries), the command line, JSON.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConfigurationSourcesTests
{
    // A prefix of this test's own, so the process-wide variables can collide with no other test.
    [Test]
    public async Task Environment_variables_bind_and_a_bad_one_stops_the_host_naming_the_setting()
    {
        var prefix = "R7OPT_" + Guid.NewGuid().ToString("N") + "_";
        Environment.SetEnvironmentVariable(prefix + "Leaf__AccessToken", R7Config.Token);
        Environment.SetEnvironmentVariable(prefix + "Leaf__MaxRetries", "4");
        Environment.SetEnvironmentVariable(prefix + "Leaf__TotalTimeout", "00:00:30");
        Environment.SetEnvironmentVariable(prefix + "leaf__enablecircuitbreaker", "False");
        try
        {
            var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddEnvironmentVariables(prefix);
            builder.Services.AddLeafSdk(builder.Configuration.GetSection(LeafClientOptions.SectionName));
            using (var host = builder.Build())
            {
                await host.StartAsync();
                var options = host.Services.GetRequiredService<IOptions<LeafClientOptions>>().Value;
                Assert.That(options.MaxRetries, Is.EqualTo(4));
                Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
                Assert.That(options.EnableCircuitBreaker, Is.False);
                await host.StopAsync();
            }

            Environment.SetEnvironmentVariable(prefix + "Leaf__MaxRetries", "four");
            var broken = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            broken.Configuration.AddEnvironmentVariables(prefix);
            broken.Services.AddLeafSdk(broken.Configuration.GetSection(LeafClientOptions.SectionName));
            using var brokenHost = broken.Build();

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => brokenHost.StartAsync());

            Assert.That(error!.Message, Does.Contain("Leaf:MaxRetries 'four' is not a whole number"));
            Assert.That(error.Message, Does.Not.Contain(R7Config.Token));
        }
        finally
        {
            foreach (var key in new[] { "Leaf__AccessToken", "Leaf__MaxRetries", "Leaf__TotalTimeout", "leaf__enablecircuitbreaker" })
            {
                Environment.SetEnvironmentVariable(prefix + key, null);
            }
        }
    }

    [Test]
    public void Json_numbers_and_booleans_bind_as_configuration_gives_them()
    {
        var json = """{ "Leaf": { "AccessToken": "r7-options-token-4b2a", "MaxRetries": 2, "RememberMe": true, "EnableCircuitBreaker": false, "AttemptTimeout": "00:00:05" } }""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();

        var (options, error) = R7Config.Resolve(s => s.AddLeafSdk(configuration.GetSection("Leaf")));

        Assert.That(error, Is.Null);
        Assert.That(options!.MaxRetries, Is.EqualTo(2));
        Assert.That(options.RememberMe, Is.True);
        Assert.That(options.EnableCircuitBreaker, Is.False);
        Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_path_prefix_without_a_trailing_slash_is_kept(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/leaf" + Stub.ResourcesPath).UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var options = Stub.Options(server);
        options.BaseAddress = new Uri(server.Url + "/leaf");
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(server.SingleRequest().Path, Is.EqualTo("/leaf/services/integrations/api/resources"));
        Assert.That(response.Summaries, Has.Count.EqualTo(1));
    }
}
