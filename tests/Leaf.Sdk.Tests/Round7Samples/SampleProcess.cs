using System.Diagnostics;

namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>What a sample printed and how it exited.</summary>
internal sealed record SampleRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs a built sample as a user does (its own process, its own environment), so exit codes and what reaches the
/// terminal are what is tested. Each run gets a fresh environment without the Leaf variables of whoever runs the tests.
/// </summary>
internal static class SampleProcess
{
    public const string SyncSummary = "leaf-sync-summary";
    public const string VerifyConnection = "leaf-verify-connection";
    public const string WebApi = "leaf-web-api";
    public const string Aot = "leaf-sync-aot";

    private static readonly string[] LeafVariables =
        ["LEAF_TOKEN", "LEAF_USERNAME", "LEAF_PASSWORD", "LEAF_BASE_ADDRESS", "Leaf__AccessToken", "Leaf__Username", "Leaf__Password", "Leaf__BaseAddress"];

    /// <summary>The sample's entry assembly: the console samples sit next to the tests; the others in their own bin folder.</summary>
    public static string PathOf(string assemblyName)
    {
        var here = AppContext.BaseDirectory;
        var beside = Path.Combine(here, assemblyName + ".dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        // tests/Leaf.Sdk.Tests/bin/<Configuration>/<tfm>/ -> samples/<project>/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(here).Name;
        var configuration = new DirectoryInfo(here).Parent!.Name;
        var root = Path.GetFullPath(Path.Combine(here, "..", "..", "..", "..", ".."));
        var project = assemblyName switch
        {
            WebApi => "Leaf.Sdk.Samples.WebApi",
            Aot => "Leaf.Sdk.Samples.Aot",
            _ => throw new ArgumentOutOfRangeException(nameof(assemblyName), assemblyName, null),
        };
        return Path.Combine(root, "samples", project, "bin", configuration, tfm, assemblyName + ".dll");
    }

    public static async Task<SampleRun> RunAsync(string assemblyName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var path = PathOf(assemblyName);
        Assert.That(path, Does.Exist, "build the sample first");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in LeafVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"{assemblyName} still ran after {timeout}:\n{await stdout}\n{await stderr}");
        }

        return new SampleRun(process.ExitCode, await stdout, await stderr);
    }
}
