using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Leaf.Sdk.Tests.Round14Mutants;

/// <summary>
/// A token that lives less than twice the five-minute renewal margin (a gateway in front of Leaf that issues short
/// tokens) cannot be renewed five minutes ahead of its exp without being renewed at once: it is kept for half its life,
/// then renewed ahead of its exp, never logging in per call and never waiting for a 401.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ShortLivedTokenTests
{
    [TestCase(ClientKind.Standalone, 6)]
    [TestCase(ClientKind.DependencyInjection, 6)]
    [TestCase(ClientKind.Standalone, 9)]
    public async Task A_short_lived_token_is_kept_for_half_its_life(ClientKind kind, int minutes)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        using var server = FakeLeafServer.Start(new FakeLeafServerOptions
        {
            TimeProvider = time,
            TokenLifetime = TimeSpan.FromMinutes(minutes),
            RememberMeTokenLifetime = TimeSpan.FromMinutes(minutes),
        });
        using var client = TestClient.Create(kind, server.CreateLoginOptions(), time);
        var half = TimeSpan.FromMinutes(minutes) / 2;

        await client.Client.GetResourcesAsync();
        time.Advance(half - TimeSpan.FromSeconds(1));
        await client.Client.GetResourcesAsync();
        var loginsBeforeHalf = server.LoginCount;
        time.Advance(TimeSpan.FromSeconds(2));
        await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(loginsBeforeHalf, Is.EqualTo(1), "kept for the first half of its life");
            Assert.That(server.LoginCount, Is.EqualTo(2), "renewed after half its life, ahead of its exp");
            Assert.That(server.Requests.Select(r => r.StatusCode), Has.None.EqualTo(401));
        });
    }
}
