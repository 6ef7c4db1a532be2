using Leaf.Sdk.Testing;

namespace LeafSyncSummary;

/// <summary>The --serve mode: the fake Leaf server for other programs (a Native AOT build in CI, a demo).</summary>
internal static class FakeServerHost
{
    /// <summary>Prints exactly two lines (LEAF_BASE_ADDRESS=..., LEAF_TOKEN=...), then serves until stdin reaches its end.</summary>
    public static async Task<int> ServeAsync()
    {
        using var fake = FakeLeafServer.Start();
        var stdout = Console.Out;
        await stdout.WriteLineAsync($"LEAF_BASE_ADDRESS={fake.BaseAddress.GetLeftPart(UriPartial.Authority)}");
        await stdout.WriteLineAsync($"LEAF_TOKEN={fake.AccessToken}");
        await stdout.FlushAsync();
        await Console.Error.WriteLineAsync("Serving the fake Leaf server with demo data; close stdin or stop the process to end.");

        // A reader script keeps stdin open as long as it needs the server; its end (EOF) is the signal to stop.
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }

        return 0;
    }
}
