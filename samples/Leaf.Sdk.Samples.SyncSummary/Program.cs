using Leaf.Sdk;
using LeafSyncSummary;
using Leaf.Sdk.Testing;

// leaf-sync-summary [--provider NAME] [--user LEAF_USER_ID]
// Calls Leaf when LEAF_TOKEN (or LEAF_USERNAME and LEAF_PASSWORD) is set; otherwise the embedded fake server.
Provider? provider = null;
Guid? user = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--provider" when i + 1 < args.Length:
            if (!Providers.TryParse(args[++i], out var p))
            {
                return Fail($"Unknown provider '{args[i]}'. Known: {string.Join(", ", Providers.All.Select(x => x.ApiName))}.");
            }

            provider = p;
            break;
        case "--user" when i + 1 < args.Length:
            if (!Guid.TryParse(args[++i], out var id) || id == Guid.Empty)
            {
                return Fail($"'{args[i]}' is not a Leaf user id (a UUID).");
            }

            user = id;
            break;
        case "-h" or "--help":
            Console.WriteLine("Usage: leaf-sync-summary [--provider NAME] [--user LEAF_USER_ID]");
            Console.WriteLine("Set LEAF_TOKEN (or LEAF_USERNAME and LEAF_PASSWORD) to call Leaf; LEAF_BASE_ADDRESS overrides the API root.");
            return 0;
        default:
            return Fail($"Unknown argument '{args[i]}'. Try --help.");
    }
}

var token = Environment.GetEnvironmentVariable("LEAF_TOKEN");
var username = Environment.GetEnvironmentVariable("LEAF_USERNAME");
var password = Environment.GetEnvironmentVariable("LEAF_PASSWORD");
FakeLeafServer? fake = null;
LeafClientOptions options;
if (!string.IsNullOrWhiteSpace(token) || !string.IsNullOrWhiteSpace(username))
{
    options = new LeafClientOptions { AccessToken = token, Username = username, Password = password };
    if (Environment.GetEnvironmentVariable("LEAF_BASE_ADDRESS") is { Length: > 0 } address)
    {
        options.BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute);
    }

    Console.WriteLine($"Calling Leaf at {options.BaseAddress}");
}
else
{
    fake = FakeLeafServer.Start();
    options = fake.CreateClientOptions();
    Console.WriteLine($"No LEAF_TOKEN set: using the embedded fake Leaf server at {fake.BaseAddress} with demo data.");
}

try
{
    using var client = new IntegrationsClient(options);
    var response = await client.GetResourcesAsync(provider, user);
    var rows = SummaryTable.Rows(response, DateTimeOffset.Now, TimeZoneInfo.Local);
    Console.WriteLine();
    Console.Write(SummaryTable.Format(rows));
    Console.WriteLine();
    Console.WriteLine($"{rows.Count} summaries. n/a = the provider has no such level.");
    return 0;
}
catch (ArgumentException ex)
{
    return Fail($"Invalid settings: {ex.Message}");
}
catch (LeafApiException ex)
{
    return Fail(ex.Message);
}
finally
{
    fake?.Dispose();
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
