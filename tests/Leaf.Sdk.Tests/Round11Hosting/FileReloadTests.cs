using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round11Hosting;

/// <summary>
/// <c>AddLeafSdk(configuration.GetSection("Leaf"))</c> over an <c>appsettings.json</c> loaded with reloadOnChange, in a
/// running host, the file rewritten while the app runs, as the README describes it: a rotated AccessToken is used on the
/// next attempt; the address and the time-outs stay as they were when the client was first resolved; a file caught
/// half-written (invalid JSON) changes nothing and stops nothing.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class FileReloadTests
{
    [Test]
    public async Task A_rewritten_appsettings_rotates_the_token_only_and_a_half_written_one_changes_nothing()
    {
        using var first = Stub.Start();
        using var second = Stub.Start();
        first.Resources(LeafJson.DocumentedExample);
        second.Resources(LeafJson.DocumentedExample);
        var folder = Directory.CreateTempSubdirectory("leaf-round11-reload-");
        try
        {
            var file = Path.Combine(folder.FullName, "appsettings.json");
            await File.WriteAllTextAsync(file, Settings(first.Url!, "token-one", "00:00:20"));
            var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = folder.FullName });
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: true);
            builder.Services.AddLeafSdk(builder.Configuration.GetSection("Leaf"));
            using var host = builder.Build();
            await host.StartAsync();
            var client = host.Services.GetRequiredService<IIntegrationsClient>();
            var root = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
            await client.GetResourcesAsync();

            // Rotated, and pointed elsewhere with other time-outs. Reload as the file watcher would, without waiting for it.
            await File.WriteAllTextAsync(file, Settings(second.Url!, "token-two", "00:00:05"));
            root.Reload();
            await client.GetResourcesAsync();

            // Caught half-written: the JSON provider refuses it.
            await File.WriteAllTextAsync(file, Settings(second.Url!, "token-three", "00:00:05")[..40]);
            Assert.That(root.Reload, Throws.Exception, "the JSON provider refuses the half-written file");
            await client.GetResourcesAsync();
            await host.StopAsync();

            Assert.Multiple(() =>
            {
                Assert.That(Authorizations(first), Is.EqualTo(new[] { "Bearer token-one", "Bearer token-two", "Bearer token-two" }), "the address stays, the token rotates, a broken file keeps it");
                Assert.That(second.LogEntries, Is.Empty, "no request, and no token, went to the address the reload named");
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Settings(string url, string token, string attemptTimeout) => $$"""
        {
          "Leaf": {
            "BaseAddress": "{{url}}",
            "AccessToken": "{{token}}",
            "MaxRetries": 0,
            "AttemptTimeout": "{{attemptTimeout}}",
            "EnableCircuitBreaker": false
          }
        }
        """;

    private static string?[] Authorizations(WireMock.Server.WireMockServer server) =>
        [.. server.LogEntries.Select(e => e.RequestMessage?.Headers is { } h && h.TryGetValue("Authorization", out var v) ? v.ToString() : null)];
}
