using System.Diagnostics;
using System.Globalization;
using Leaf.Sdk;

// leaf-sync-aot: the Sync Summary as a Native AOT binary. Reads LEAF_TOKEN and LEAF_BASE_ADDRESS (optional; defaults
// to Leaf's API root). Start a fake with `dotnet run --project samples/Leaf.Sdk.Samples.SyncSummary -- --serve`.
var started = Stopwatch.GetTimestamp();
var token = Environment.GetEnvironmentVariable("LEAF_TOKEN");
if (string.IsNullOrWhiteSpace(token))
{
    Console.Error.WriteLine("error: set LEAF_TOKEN (and LEAF_BASE_ADDRESS for anything but Leaf's API root).");
    return 1;
}

var options = new LeafClientOptions { AccessToken = token };
if (Environment.GetEnvironmentVariable("LEAF_BASE_ADDRESS") is { Length: > 0 } address)
{
    // TryCreate: an address Uri cannot parse at all ("http://[::1") is a settings mistake, not a crash.
    if (!Uri.TryCreate(address, UriKind.RelativeOrAbsolute, out var baseAddress))
    {
        // Not echoed: what cannot be parsed cannot be redacted either, and it may hold a password (user:password@).
        Console.Error.WriteLine("error: invalid settings: LEAF_BASE_ADDRESS is not an address such as https://api.withleaf.io.");
        return 1;
    }

    options.BaseAddress = baseAddress;
}

try
{
    using var client = new IntegrationsClient(options);
    var response = await client.GetResourcesAsync();
    foreach (var s in response.Summaries.OrderBy(s => s.LeafUserId).ThenBy(s => s.ProviderName, StringComparer.Ordinal))
    {
        var name = SyncComparison.ColumnName(s);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} {s.LeafUserId}  growers {Count(s.Growers),4}  farms {Count(s.Farms),4}  fields {Count(s.Fields),5}  synced {Synced(s.SyncReferenceTime)}"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{response.Summaries.Count} summaries in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms"));
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: invalid settings: {ex.Message}");
    return 1;
}
catch (LeafApiException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

static string Count(int? count) => count?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

static string Synced(DateTimeOffset? time) =>
    time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "never";
