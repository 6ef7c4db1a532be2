namespace Leaf.Sdk.Testing;

/// <summary>
/// Settings of a <see cref="FakeLeafServer"/>, read once by <see cref="FakeLeafServer.Start"/>: a later change does
/// not reach a server already running.
/// </summary>
public sealed class FakeLeafServerOptions
{
    /// <summary>The username <c>POST /api/authenticate</c> accepts. Defaults to <c>demo@leaf.example</c>.</summary>
    public string Username { get; set; } = "demo@leaf.example";

    /// <summary>The password <c>POST /api/authenticate</c> accepts. Defaults to a fixed demo value.</summary>
    public string Password { get; set; } = "demo-password";

    /// <summary>How long tokens issued by a login live (their JWT <c>exp</c>). Defaults to 24 hours, as Leaf's.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long tokens issued to a login with <c>rememberMe</c> live. Defaults to 30 days, as Leaf's.</summary>
    public TimeSpan RememberMeTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The server's clock: token expiry, <see cref="FakeLeafServer.Latency"/> and the demo data's sync times. Defaults to the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Start with <see cref="DemoData"/> seeded. Defaults to <see langword="true"/>; tests usually seed their own.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>How many requests <see cref="FakeLeafServer.Requests"/> keeps, the latest. Tests set it lower.</summary>
    internal int JournalCapacity { get; init; } = 10_000;
}
