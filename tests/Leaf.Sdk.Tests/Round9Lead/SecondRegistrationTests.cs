using Leaf.Sdk.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Leaf.Sdk.Tests.Round9Lead;

/// <summary>What the README says of a second <c>AddLeafSdk</c>: it adds to the one registration, it makes no second client.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class SecondRegistrationTests
{
    [Test]
    public async Task A_second_AddLeafSdk_sets_the_same_options_and_the_last_value_set_wins()
    {
        using var first = Stub.Start();
        using var second = Stub.Start();
        first.Resources(LeafJson.DocumentedExample);
        second.Resources(LeafJson.DocumentedExample);
        var services = new ServiceCollection();
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = new Uri(first.Url!);
            o.AccessToken = "first-token";
            o.MaxRetries = 2;
        });
        services.AddLeafSdk(o =>
        {
            o.BaseAddress = new Uri(second.Url!);
            o.AccessToken = "second-token";
        });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IIntegrationsClient>().GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(services.Count(s => s.ServiceType == typeof(IIntegrationsClient)), Is.EqualTo(1), "one client registration");
            Assert.That(first.LogEntries, Is.Empty, "the first address was replaced");
            Assert.That(second.LogEntries.Single().RequestMessage!.Headers!["Authorization"].Single(), Is.EqualTo("Bearer second-token"));
            Assert.That(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LeafClientOptions>>().Value.MaxRetries, Is.EqualTo(2), "what the second left unset stays as the first set it");
        });
    }
}
