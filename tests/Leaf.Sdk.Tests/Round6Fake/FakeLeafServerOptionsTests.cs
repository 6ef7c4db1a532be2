using Leaf.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary><see cref="FakeLeafServerOptions"/> as a test suite shares and reuses them.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafServerOptionsTests
{
    public static IEnumerable<TestCaseData> Missing()
    {
        yield return new TestCaseData(new FakeLeafServerOptions { TimeProvider = null! }, "TimeProvider").SetName("No time provider");
        yield return new TestCaseData(new FakeLeafServerOptions { Username = null! }, "Username").SetName("No username");
        yield return new TestCaseData(new FakeLeafServerOptions { Username = "" }, "Username").SetName("An empty username");
        yield return new TestCaseData(new FakeLeafServerOptions { Password = null! }, "Password").SetName("No password");
        yield return new TestCaseData(new FakeLeafServerOptions { Password = "" }, "Password").SetName("An empty password");
    }

    [TestCaseSource(nameof(Missing))]
    public void Start_refuses_options_it_cannot_run_with_naming_the_setting(FakeLeafServerOptions options, string setting)
    {
        // Before: a NullReferenceException for the clock (after the port was opened, and never closed); a login that
        // no client can make (the SDK refuses empty credentials) for the others.
        var ex = Assert.Throws<ArgumentException>(() => FakeLeafServer.Start(options).Dispose());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("options"));
            Assert.That(ex.Message, Does.Contain(setting));
        });
    }

    [Test]
    public void Options_changed_after_start_leave_the_running_server_as_it_was()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var options = new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock };
        using var first = FakeLeafServer.Start(options);

        // One options object, tweaked for a second server (a fixture's shared settings, say).
        options.Username = "second@leaf.example";
        options.Password = "second-password";
        options.TimeProvider = TimeProvider.System;
        options.TokenLifetime = TimeSpan.FromMinutes(1);
        using var second = FakeLeafServer.Start(options);

        Assert.Multiple(() =>
        {
            Assert.That((first.Username, first.Password), Is.EqualTo(("demo@leaf.example", "demo-password")));
            Assert.That((second.Username, second.Password), Is.EqualTo(("second@leaf.example", "second-password")));
            Assert.That(JwtExp(first.IssueToken(TimeSpan.FromHours(1))), Is.EqualTo(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds()), "still on the fake clock");
        });
    }

    [Test]
    public void The_copy_kept_at_start_has_every_setting()
    {
        // A setting added to FakeLeafServerOptions but not to the copy would be silently ignored by every server.
        var options = new FakeLeafServerOptions
        {
            Username = "u@leaf.example",
            Password = "p",
            TokenLifetime = TimeSpan.FromMinutes(7),
            RememberMeTokenLifetime = TimeSpan.FromMinutes(8),
            TimeProvider = new FakeTimeProvider(),
            SeedDemoData = false,
        };
        var settable = typeof(FakeLeafServerOptions).GetProperties().Where(p => p.CanWrite).ToList();
        using var server = FakeLeafServer.Start(options);
        var kept = typeof(FakeLeafServer).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            .Single(f => f.FieldType == typeof(FakeLeafServerOptions)).GetValue(server)!;

        Assert.Multiple(() =>
        {
            Assert.That(settable, Has.Count.EqualTo(6), "a new setting: set it above, to a value other than its default");
            Assert.That(kept, Is.Not.SameAs(options));
            foreach (var property in settable)
            {
                Assert.That(property.GetValue(kept), Is.EqualTo(property.GetValue(options)), property.Name);
                Assert.That(property.GetValue(options), Is.Not.EqualTo(property.GetValue(new FakeLeafServerOptions())), property.Name + " is set to a value of its own above");
            }
        });
    }

    [Test]
    public async Task A_login_on_a_server_started_from_changed_options_uses_the_options_of_its_start()
    {
        var options = new FakeLeafServerOptions { SeedDemoData = false };
        using var server = FakeLeafServer.Start(options);
        var login = server.CreateLoginOptions();
        options.Password = "changed-later";
        using var client = new IntegrationsClient(login);

        var response = await client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Empty);
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200 }));
        });
    }

    [Test]
    public void A_token_that_never_expires_can_be_issued()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false });

        // Before: ArgumentOutOfRangeException "The added or subtracted value results in an un-representable DateTime".
        var token = server.IssueToken(TimeSpan.MaxValue);

        Assert.That(JwtExp(token), Is.EqualTo(DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task A_login_with_a_lifetime_past_the_calendar_gets_a_token_that_never_expires()
    {
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, RememberMeTokenLifetime = TimeSpan.MaxValue });
        var options = server.CreateLoginOptions();
        options.MaxRetries = 0;
        using var client = new IntegrationsClient(options);

        // Before: the login answered 500, as if Leaf were down.
        var response = await client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries, Is.Empty);
            Assert.That(server.Requests.Select(r => r.StatusCode), Is.EqualTo(new[] { 200, 200 }));
        });
    }

    [Test]
    public void A_token_issued_with_a_negative_lifetime_is_already_expired()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions { SeedDemoData = false, TimeProvider = clock });

        var token = server.IssueToken(TimeSpan.FromHours(-1));

        Assert.That(JwtExp(token), Is.EqualTo(clock.GetUtcNow().AddHours(-1).ToUnixTimeSeconds()));
    }

    private static long JwtExp(string token)
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]);
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("exp").GetInt64();
    }
}
