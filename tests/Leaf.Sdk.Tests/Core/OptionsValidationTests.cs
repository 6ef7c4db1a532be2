using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Leaf.Sdk.Tests.Core;

/// <summary>Settings that cannot work are refused up front, with a message naming the setting and the fix.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class OptionsValidationTests
{
    private const string Token = "opt-token-5c1d2e";

    private static LeafClientOptions Valid() => new() { AccessToken = Token };

    private sealed class NullTokenSource : ILeafTokenSource
    {
        public ValueTask<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken) => ValueTask.FromResult("source-token-1");
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        static TestCaseData Case(string name, Action<LeafClientOptions> change, params string[] says) =>
            new TestCaseData(change, says).SetArgDisplayNames(name);

        yield return Case("no token or credentials", o => o.AccessToken = null, "Leaf:AccessToken", "Leaf:Username", "Leaf:Password");
        yield return Case("a blank token", o => o.AccessToken = "   ", "Leaf:AccessToken");
        yield return Case("token and credentials", o => { o.Username = "api@example.com"; o.Password = "pw-123456"; }, "More than one way", "AccessToken", "Username");
        yield return Case("token and token source", o => o.TokenSource = new NullTokenSource(), "More than one way", "TokenSource");
        yield return Case("username without password", o => { o.AccessToken = null; o.Username = "api@example.com"; }, "Leaf:Password is missing");
        yield return Case("password without username", o => { o.AccessToken = null; o.Password = "pw-123456"; }, "Leaf:Username is missing");
        yield return Case("a relative base address", o => o.BaseAddress = new Uri("/api", UriKind.Relative), "Leaf:BaseAddress", "relative");
        yield return Case("no base address", o => o.BaseAddress = null!, "Leaf:BaseAddress");
        yield return Case("plain http to a remote host", o => o.BaseAddress = new Uri("http://api.withleaf.io"), "Leaf:BaseAddress", "http://", "https://");
        yield return Case("plain http to a private address", o => o.BaseAddress = new Uri("http://10.0.0.5:8080"), "Leaf:BaseAddress", "http://");
        yield return Case("an ftp address", o => o.BaseAddress = new Uri("ftp://api.withleaf.io"), "Leaf:BaseAddress");
        yield return Case("a base address with a query", o => o.BaseAddress = new Uri("https://api.withleaf.io/?x=1"), "Leaf:BaseAddress", "query");
        yield return Case("attempt time-out over total time-out", o => { o.AttemptTimeout = TimeSpan.FromSeconds(30); o.TotalTimeout = TimeSpan.FromSeconds(20); }, "Leaf:AttemptTimeout", "Leaf:TotalTimeout");
        yield return Case("negative retries", o => o.MaxRetries = -1, "Leaf:MaxRetries");
        yield return Case("absurdly many retries", o => o.MaxRetries = 1000, "Leaf:MaxRetries");
        yield return Case("a negative back-off", o => o.RetryBaseDelay = TimeSpan.FromSeconds(-1), "Leaf:RetryBaseDelay");
        yield return Case("a zero total time-out", o => o.TotalTimeout = TimeSpan.Zero, "Leaf:TotalTimeout");
        yield return Case("a zero attempt time-out", o => o.AttemptTimeout = TimeSpan.Zero, "Leaf:AttemptTimeout");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void The_standalone_client_refuses_invalid_options_with_an_ArgumentException_naming_the_setting(Action<LeafClientOptions> change, string[] says)
    {
        var options = Valid();
        change(options);

        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options).Dispose());

        Assert.That(error!.ParamName, Is.EqualTo("options"));
        Assert.That(error!.Message, Does.Not.Contain('\n'));
        foreach (var word in says)
        {
            Assert.That(error!.Message, Does.Contain(word));
        }
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void DI_refuses_invalid_options_when_the_client_is_resolved(Action<LeafClientOptions> change, string[] says)
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.AccessToken = Token;
            change(o);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IIntegrationsClient>());

        Assert.That(error!.OptionsType, Is.EqualTo(typeof(LeafClientOptions)));
        foreach (var word in says)
        {
            Assert.That(error!.Message, Does.Contain(word));
        }

        Assert.That(() => provider.GetRequiredService<IOptions<LeafClientOptions>>().Value, Throws.TypeOf<OptionsValidationException>());
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public async Task A_host_refuses_to_start_with_invalid_options(Action<LeafClientOptions> change, string[] says)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLeafSdk(o =>
        {
            o.AccessToken = Token;
            change(o);
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain(says[0]));
        await host.StopAsync();
    }

    // An AccessToken with a character a bearer token cannot contain, as copy and paste or a file leaves it.
    private static IEnumerable<TestCaseData> UnsendableAccessTokens()
    {
        static TestCaseData Case(string name, string token, string says) => new TestCaseData(token, says).SetArgDisplayNames(name);

        yield return Case("a non-ASCII letter", "tökén-Zq8Xw3Lp9Vb", "a non-ASCII character (U+00F6) at index 1");
        yield return Case("a byte-order mark", "\uFEFFZq8Xw3Lp9Vb-K7q", "a byte-order mark (U+FEFF) at index 0");
        yield return Case("a zero-width space", "Zq8Xw\u200B3Lp9Vb-K7q", "a zero-width character (U+200B) at index 5");
        yield return Case("a control character", "Zq8Xw3L\u0001p9Vb-K7q", "a control character (U+0001) at index 7");
        yield return Case("an inner tab after a trimmed space", " Zq8Xw3L\tp9Vb-K7q", "a tab (U+0009) at index 8");
    }

    [TestCaseSource(nameof(UnsendableAccessTokens))]
    public void The_standalone_client_refuses_an_AccessToken_that_cannot_be_sent_without_showing_it(string token, string says)
    {
        var options = new LeafClientOptions { AccessToken = token };

        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options).Dispose());

        Assert.That(error!.ParamName, Is.EqualTo("options"));
        Assert.That(error.Message, Does.Contain("Leaf:AccessToken contains a character a bearer token cannot contain: " + says));
        Assert.That(SecretPieces.FoundIn(error.ToString(), token), Is.Empty, "no part of the token is shown");
    }

    [TestCaseSource(nameof(UnsendableAccessTokens))]
    public async Task A_host_refuses_to_start_with_an_AccessToken_that_cannot_be_sent_without_showing_it(string token, string says)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLeafSdk(o => o.AccessToken = token);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Leaf:AccessToken contains a character a bearer token cannot contain: " + says));
        Assert.That(SecretPieces.FoundIn(error.ToString(), token), Is.Empty, "no part of the token is shown");
        await host.StopAsync();
    }

    [TestCase(" opt-token-5c1d2e\r\n")]
    [TestCase("\topt-token-5c1d2e ")]
    [TestCase("\u00A0opt-token-5c1d2e\u2028")]
    public void White_space_around_an_AccessToken_is_still_trimmed_not_refused(string token)
    {
        var options = new LeafClientOptions { AccessToken = token };

        Assert.That(LeafClientOptionsValidator.Check(options, registeredTokenSource: false), Is.Empty);
        Assert.DoesNotThrow(() => new IntegrationsClient(options).Dispose());
    }

    [Test]
    public async Task A_host_with_valid_options_starts_and_stops()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLeafSdk(o => o.AccessToken = Token);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        Assert.That(host.Services.GetRequiredService<IIntegrationsClient>(), Is.InstanceOf<Leaf.Sdk.DependencyInjection.TypedIntegrationsClient>());
    }

    [TestCase("http://127.0.0.1:5000")]
    [TestCase("http://localhost:5000")]
    [TestCase("http://[::1]:5000")]
    [TestCase("http://127.0.0.1:5000/leaf/")]
    [TestCase("https://api.withleaf.io")]
    [TestCase("https://leaf.internal.example:8443/gateway/")]
    public void A_loopback_http_or_any_https_base_address_is_accepted(string address)
    {
        var options = Valid();
        options.BaseAddress = new Uri(address);

        Assert.DoesNotThrow(() => new IntegrationsClient(options).Dispose());
        Assert.That(LeafClientOptionsValidator.Check(options, registeredTokenSource: false), Is.Empty);
    }

    [Test]
    public void Credentials_alone_or_a_token_source_alone_are_accepted()
    {
        Assert.Multiple(() =>
        {
            Assert.DoesNotThrow(() => new IntegrationsClient(new LeafClientOptions { Username = "api@example.com", Password = "pw-123456" }).Dispose());
            Assert.DoesNotThrow(() => new IntegrationsClient(new LeafClientOptions { TokenSource = new NullTokenSource() }).Dispose());
            Assert.DoesNotThrow(() => new IntegrationsClient(new LeafClientOptions { AccessToken = Token, MaxRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(5) }).Dispose());
        });
    }

    [Test]
    public void Several_problems_are_all_reported_at_once()
    {
        var options = new LeafClientOptions { BaseAddress = new Uri("http://example.com"), MaxRetries = -3 };

        var error = Assert.Throws<ArgumentException>(() => new IntegrationsClient(options).Dispose());

        Assert.That(error!.Message, Does.Contain("Leaf:BaseAddress").And.Contain("Leaf:MaxRetries").And.Contain("Leaf:AccessToken"));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Changing_the_options_object_after_the_client_is_built_has_no_effect(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var options = Stub.Options(server);
        using var client = TestClient.Create(kind, options);

        options.AccessToken = "changed-afterwards";
        options.BaseAddress = new Uri("https://elsewhere.example");
        await client.Client.GetResourcesAsync();

        Assert.That(server.SingleRequest().Header("Authorization"), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
    }

    [Test]
    public void ToString_never_shows_the_token_or_the_password()
    {
        var withToken = new LeafClientOptions { AccessToken = "tok-VerySecret-998877" };
        var withLogin = new LeafClientOptions { Username = "api@example.com", Password = "pw-VerySecret-554433" };

        Assert.Multiple(() =>
        {
            Assert.That(withToken.ToString(), Does.Not.Contain("VerySecret").And.Contain("redacted"));
            Assert.That(withLogin.ToString(), Does.Not.Contain("VerySecret").And.Contain("api@example.com").And.Contain("redacted"));
            Assert.That(withToken.ToString(), Does.Contain("https://api.withleaf.io").And.Contain("MaxRetries = 3"));
            Assert.That(new LeafClientOptions().ToString(), Does.Contain("Authentication = none"));
            Assert.That(withToken.ToString(), Does.Not.Contain('\n'));
        });
    }

    [Test]
    public void The_defaults_are_those_the_design_documents()
    {
        var options = new LeafClientOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.BaseAddress, Is.EqualTo(new Uri("https://api.withleaf.io")));
            Assert.That(options.MaxRetries, Is.EqualTo(3));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.AccessToken, Is.Null);
            Assert.That(LeafClientOptions.SectionName, Is.EqualTo("Leaf"));
        });
    }

    private static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Leaf:" + v.Key, v.Value)))
            .Build()
            .GetSection("Leaf");

    [Test]
    public async Task Options_bind_from_a_Leaf_configuration_section_including_time_spans()
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        var services = new ServiceCollection();
        services.AddLeafSdk(Section(
            ("BaseAddress", server.Url),
            ("AccessToken", Token),
            ("MaxRetries", "0"),
            ("RetryBaseDelay", "00:00:00.250"),
            ("AttemptTimeout", "00:00:07"),
            ("TotalTimeout", "00:00:42"),
            ("EnableCircuitBreaker", "false"),
            ("RememberMe", "false")));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LeafClientOptions>>().Value;
        var response = await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(options.BaseAddress, Is.EqualTo(new Uri(server.Url!)));
            Assert.That(options.AccessToken, Is.EqualTo(Token));
            Assert.That(options.MaxRetries, Is.Zero);
            Assert.That(options.RetryBaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(42)));
            Assert.That(options.EnableCircuitBreaker, Is.False);
            Assert.That(options.RememberMe, Is.False);
            Assert.That(response.Summaries, Has.Count.EqualTo(1));
            Assert.That(server.SingleRequest().Header("Authorization"), Is.EqualTo(new[] { "Bearer " + Token }));
        });
    }

    [Test]
    public void Keys_missing_from_the_section_keep_their_defaults()
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(Section(("AccessToken", Token)));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LeafClientOptions>>().Value;

        Assert.That(options.BaseAddress, Is.EqualTo(LeafClientOptions.DefaultBaseAddress));
        Assert.That(options.MaxRetries, Is.EqualTo(3));
        Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
    }

    [TestCase("MaxRetries", "abc", "Leaf:MaxRetries")]
    [TestCase("MaxRetries", "2.5", "Leaf:MaxRetries")]
    [TestCase("AttemptTimeout", "soon", "Leaf:AttemptTimeout")]
    [TestCase("TotalTimeout", "1 minute", "Leaf:TotalTimeout")]
    [TestCase("RetryBaseDelay", "fast", "Leaf:RetryBaseDelay")]
    [TestCase("EnableCircuitBreaker", "maybe", "Leaf:EnableCircuitBreaker")]
    [TestCase("RememberMe", "yes please", "Leaf:RememberMe")]
    [TestCase("MaxRetries", "-2", "Leaf:MaxRetries")]
    [TestCase("BaseAddress", "http://api.withleaf.io", "Leaf:BaseAddress")]
    [TestCase("BaseAddress", "not a uri at all", "Leaf:BaseAddress")]
    public void A_bad_configuration_value_fails_with_a_message_naming_its_key(string key, string value, string says)
    {
        var services = new ServiceCollection();
        services.AddLeafSdk(Section(("AccessToken", Token), (key, value)));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IIntegrationsClient>());

        Assert.That(error!.Message, Does.Contain(says));
        Assert.That(error!.Message, Does.Not.Contain(Token));
    }

    [Test]
    public async Task A_host_bound_to_a_section_without_a_token_refuses_to_start()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Leaf:MaxRetries", "2")]);
        builder.Services.AddLeafSdk(builder.Configuration.GetSection("Leaf"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Leaf:AccessToken"));
        await host.StopAsync();
    }
}
