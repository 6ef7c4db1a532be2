using System.Diagnostics;
using System.Globalization;

namespace Leaf.Sdk.Benchmarks;

/// <summary>
/// Cold start of the JIT sample: from process start to the first printed result (the summary table's closing
/// "N summaries." line), and to process exit, over <c>dotnet leaf-sync-summary.dll</c> against its embedded fake.
/// </summary>
public static class ColdStart
{
    private const string SampleProject = "samples/Leaf.Sdk.Samples.SyncSummary/Leaf.Sdk.Samples.SyncSummary.csproj";

    public static async Task<int> RunAsync(int runs)
    {
        var root = FindRepositoryRoot();
        var output = System.IO.Path.Combine(root, "artifacts", "cold-start-sample");
        Console.WriteLine($"Cold start: building the sample in Release into {output} ...");
        if (await RunToEndAsync("dotnet", ["build", System.IO.Path.Combine(root, SampleProject), "-c", "Release", "-o", output, "-nologo", "-v", "q"]) != 0)
        {
            Console.Error.WriteLine("Cold start: the sample did not build.");
            return 1;
        }

        var dll = System.IO.Path.Combine(output, "leaf-sync-summary.dll");
        var firstResult = new List<double>();
        var exit = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (result, exited) = await TimeOneAsync(dll);
            if (result is null)
            {
                Console.Error.WriteLine("Cold start: the sample exited without printing a result.");
                return 1;
            }

            firstResult.Add(result.Value);
            exit.Add(exited);
        }

        Console.WriteLine();
        Console.WriteLine($"Cold start of the JIT sample (dotnet leaf-sync-summary.dll, embedded fake), {runs} runs, ms:");
        Console.WriteLine("| Measure | Median | Min | Max |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(Row("start → first printed result", firstResult));
        Console.WriteLine(Row("start → process exit", exit));
        return 0;
    }

    private static async Task<(double? FirstResult, double Exit)> TimeOneAsync(string dll)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);

        // The sample calls the real API when credentials are set; the measurement is of the fake.
        foreach (var name in new[] { "LEAF_TOKEN", "LEAF_USERNAME", "LEAF_PASSWORD", "LEAF_BASE_ADDRESS" })
        {
            start.Environment.Remove(name);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        double? firstResult = null;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            // The sample's closing line: "14 summaries. n/a = ..." (or "1 summary. ...").
            if (firstResult is null && IsClosingLine(line))
            {
                firstResult = clock.Elapsed.TotalMilliseconds;
            }
        }

        await process.WaitForExitAsync();
        var exited = clock.Elapsed.TotalMilliseconds;
        await stderr;
        return (process.ExitCode == 0 ? firstResult : null, exited);
    }

    private static string Row(string what, List<double> values)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"| {what} | {median:F0} | {sorted[0]:F0} | {sorted[^1]:F0} |");
    }

    private static async Task<int> RunToEndAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Leaf.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Leaf.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    private static bool IsClosingLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && line.AsSpan(0, space).IndexOfAnyExceptInRange('0', '9') < 0 &&
            (line.AsSpan(space).StartsWith(" summaries.", StringComparison.Ordinal) || line.AsSpan(space).StartsWith(" summary.", StringComparison.Ordinal));
    }
}
