using Leaf.Sdk;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// Uses the packages the way a user would: from a package folder, not from project references.
using var server = FakeLeafServer.Start();

using (var client = new IntegrationsClient(server.CreateClientOptions()))
{
    var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
    Console.WriteLine($"standalone: {response.Summaries.Count} summaries");
}

using (var client = new IntegrationsClient(server.CreateLoginOptions()))
{
    var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
    Console.WriteLine($"login: {response.Summaries.Count} summaries after {server.LoginCount} login(s)");
}

var services = new ServiceCollection();
services.AddLeafSdk(options =>
{
    options.BaseAddress = server.BaseAddress;
    options.AccessToken = server.AccessToken;
});
services.AddHealthChecks().AddLeafSync(options => options.LeafUserIds.Add(DemoUsers.Healthy));
await using var provider = services.BuildServiceProvider();
var injected = provider.GetRequiredService<IIntegrationsClient>();
var all = await injected.GetResourcesAsync(Provider.JohnDeere);
Console.WriteLine($"di: {all.Summaries.Count} John Deere summaries");
var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
Console.WriteLine($"health: {health.Status}");
return all.Summaries.Count > 0 ? 0 : 1;
