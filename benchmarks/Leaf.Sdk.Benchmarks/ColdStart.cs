using System.Diagnostics;
using System.Globalization;

namespace Leaf.Sdk.Benchmarks;

/// <summary>
/// Cold start, from process start to the first printed result and to process exit: the JIT sample against its embedded
/// fake, then the JIT sample and the Native AOT sample against one fake served by another process (the AOT binary
/// cannot embed WireMock), so the two clients are timed on equal terms.
/// </summary>
public static class ColdStart
{
    private const string SampleProject = "samples/Leaf.Sdk.Samples.SyncSummary/Leaf.Sdk.Samples.SyncSummary.csproj";
    private const string AotProject = "samples/Leaf.Sdk.Samples.Aot/Leaf.Sdk.Samples.Aot.csproj";
    private static readonly string[] LeafVariables = ["LEAF_TOKEN", "LEAF_USERNAME", "LEAF_PASSWORD", "LEAF_BASE_ADDRESS"];

    /// <param name="runs">Runs per program.</param>
    /// <param name="publishAot">
    /// Publish the AOT sample (about a minute and a half on 2 cores) when it is not there yet; without it, the AOT sample
    /// is measured only if a build is already in <c>artifacts/cold-start-aot</c> or <c>artifacts/aot/bin</c> (.ci/aot.sh).
    /// </param>
    public static async Task<int> RunAsync(int runs, bool publishAot)
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
        var embedded = await TimeRunsAsync("dotnet", [dll], environment: [], runs);
        if (embedded is null)
        {
            return 1;
        }

        var aot = await AotBinaryAsync(root, publishAot);
        var (fake, environment) = await ServeFakeAsync(dll);
        (List<double>, List<double>)? jitServed, aotServed = null;
        using (fake)
        {
            jitServed = await TimeRunsAsync("dotnet", [dll], environment, runs);
            if (aot is not null)
            {
                aotServed = await TimeRunsAsync(aot, [], environment, runs);
            }

            fake.StandardInput.Close();
            await fake.WaitForExitAsync();
        }

        Console.WriteLine();
        Console.WriteLine($"Cold start, {runs} runs each, ms (median, min, max):");
        Console.WriteLine("| Program | Fake | Measure | Median | Min | Max |");
        Console.WriteLine("|---|---|---|---:|---:|---:|");
        Print("JIT sample (`dotnet leaf-sync-summary.dll`)", "embedded", embedded.Value);
        if (jitServed is { } jit)
        {
            Print("JIT sample (`dotnet leaf-sync-summary.dll`)", "other process", jit);
        }

        if (aotServed is { } native)
        {
            Print($"Native AOT sample (`leaf-sync-aot`, {new FileInfo(aot!).Length / 1e6:F1} MB)", "other process", native);
        }
        else
        {
            Console.WriteLine("| Native AOT sample | — | not measured: " + (aot is null ? "not published (run with the full mode, or .ci/aot.sh)" : "it printed no result") + " | | | |");
        }

        return jitServed is null || (aot is not null && aotServed is null) ? 1 : 0;
    }

    private static void Print(string program, string fake, (List<double> FirstResult, List<double> Exit) times)
    {
        Console.WriteLine(Row($"{program} | {fake} | start → first printed result", times.FirstResult));
        Console.WriteLine(Row($"{program} | {fake} | start → process exit", times.Exit));
    }

    private static async Task<(List<double> FirstResult, List<double> Exit)?> TimeRunsAsync(string file, string[] arguments, Dictionary<string, string> environment, int runs)
    {
        var firstResult = new List<double>();
        var exit = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (result, exited) = await TimeOneAsync(file, arguments, environment);
            if (result is null)
            {
                Console.Error.WriteLine($"Cold start: {System.IO.Path.GetFileName(file)} exited without printing a result.");
                return null;
            }

            firstResult.Add(result.Value);
            exit.Add(exited);
        }

        return (firstResult, exit);
    }

    // The AOT sample's binary, published on request; null when there is none (no native toolchain, or not asked to).
    private static async Task<string?> AotBinaryAsync(string root, bool publish)
    {
        var output = System.IO.Path.Combine(root, "artifacts", "cold-start-aot");
        var binary = System.IO.Path.Combine(output, "leaf-sync-aot");

        // .ci/aot.sh publishes the same sample here; CI's quick run measures that build.
        var fromCi = System.IO.Path.Combine(root, "artifacts", "aot", "bin", "leaf-sync-aot");
        if (!File.Exists(binary) && File.Exists(fromCi))
        {
            return fromCi;
        }

        if (!File.Exists(binary) && publish)
        {
            Console.WriteLine($"Cold start: publishing the Native AOT sample into {output} ...");
            if (await RunToEndAsync("dotnet", ["publish", System.IO.Path.Combine(root, AotProject), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"]) != 0)
            {
                Console.Error.WriteLine("Cold start: the AOT sample did not publish (Native AOT needs clang); it is not measured.");
            }
        }

        return File.Exists(binary) ? binary : null;
    }

    // The JIT sample's --serve mode: prints LEAF_BASE_ADDRESS and LEAF_TOKEN, serves until its stdin closes.
    private static async Task<(Process Fake, Dictionary<string, string> Environment)> ServeFakeAsync(string dll)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--serve");
        var fake = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var environment = new Dictionary<string, string>();
        while (environment.Count < 2 && await fake.StandardOutput.ReadLineAsync() is { } line)
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[line[..equals]] = line[(equals + 1)..];
            }
        }

        if (!environment.TryGetValue("LEAF_BASE_ADDRESS", out var address) || !environment.TryGetValue("LEAF_TOKEN", out var token))
        {
            throw new InvalidOperationException("The fake server did not print its address and token.");
        }

        // Warm the fake (a JIT process) with one request, so every timed run sees a warm server.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, address.TrimEnd('/') + Contenders.ContenderSet.Path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        return (fake, environment);
    }

    private static async Task<(double? FirstResult, double Exit)> TimeOneAsync(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The samples call the real API when credentials are set; the measurement is of a fake.
        foreach (var name in LeafVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        double? firstResult = null;
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            // The closing line: "14 summaries. n/a = ..." (JIT sample) or "14 summaries in 5 ms" (AOT sample).
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
            (line.AsSpan(space).StartsWith(" summaries.", StringComparison.Ordinal) || line.AsSpan(space).StartsWith(" summary.", StringComparison.Ordinal) ||
             line.AsSpan(space).StartsWith(" summaries in ", StringComparison.Ordinal));
    }
}
