using Leaf.Sdk;
using Leaf.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

// Uses the packages the way a user would: from a package folder, not from project references.
using var server = FakeLeafServer.Start();

using (var client = new IntegrationsClient(server.CreateClientOptions()))
{
    var response = await client.GetResourcesAsync(leafUserId: DemoUsers.Healthy);
    Console.WriteLine($"standalone: {response.Summaries.Count} summaries");
}

var services = new ServiceCollection();
services.AddLeafSdk(options =>
{
    options.BaseAddress = server.BaseAddress;
    options.AccessToken = server.AccessToken;
});
await using var provider = services.BuildServiceProvider();
var injected = provider.GetRequiredService<IIntegrationsClient>();
var all = await injected.GetResourcesAsync(Provider.JohnDeere);
Console.WriteLine($"di: {all.Summaries.Count} John Deere summaries");
return all.Summaries.Count > 0 ? 0 : 1;
