using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Leaf.Sdk.Tests.Round7Samples;

/// <summary>
/// Ctrl+C while leaf-sync-summary's spinner waits for Leaf, typed into a real terminal (util-linux `script` gives the
/// sample a pseudo-terminal, so Spectre shows the spinner and hides the cursor). Before, Ctrl+C killed the process with
/// the cursor still hidden and the spinner line left on screen.
/// </summary>
[Parallelizable(ParallelScope.All)]
[Platform("Linux")]
public sealed class SyncSummaryInterruptTests
{
    private const string HideCursor = "\u001b[?25l";
    private const string ShowCursor = "\u001b[?25h";

    // Spectre turns the spinner off on a build server; the terminal here is the point.
    private static readonly string[] CiVariables = ["CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "TRAVIS", "APPVEYOR", "JENKINS_URL", "BUILDKITE", "TEAMCITY_VERSION", "CONTINUOUS_INTEGRATION", "BITBUCKET_COMMIT", "bamboo_buildNumber", "GOCD_SERVER_HOST"];

    [Test]
    public async Task Ctrl_C_while_waiting_exits_130_and_gives_the_cursor_back()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Ignore("util-linux script is not installed");
        }

        // A Leaf that accepts the connection and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                held.Add(await silent.AcceptSocketAsync(stop.Token));
            }
        });

        var log = Path.Combine(Path.GetTempPath(), $"leaf-r7-tty-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var command = $"dotnet '{SampleProcess.PathOf(SampleProcess.SyncSummary)}'";
        if (SigintIgnored())
        {
            // A test run started in the background (nohup, `&` in a script, some CI agents) has SIGINT ignored, and an
            // ignored signal stays ignored across exec: the sample would never see the Ctrl+C and the test would hang.
            if (!await EnvCanRestoreSigintAsync())
            {
                Assert.Ignore("SIGINT is ignored in this test run and env cannot restore it (coreutils 8.31+ can)");
            }

            command = "env --default-signal=INT " + command;
        }

        foreach (var arg in new[] { "-q", "-f", "-e", "-c", command, log })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in CiVariables.Concat(["LEAF_USERNAME", "LEAF_PASSWORD", "NO_COLOR"]))
        {
            start.Environment.Remove(name);
        }

        start.Environment["TERM"] = "xterm-256color";
        start.Environment["LEAF_TOKEN"] = "sekrit-token-r7-tty";
        start.Environment["LEAF_BASE_ADDRESS"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(log) && (await ReadAsync(log)).Contains("Asking Leaf", StringComparison.Ordinal)))
            {
                Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "the spinner never showed:\n" + (File.Exists(log) ? await ReadAsync(log) : "(no log)"));
                Assert.That(process.HasExited, Is.False, "the sample ended before the spinner showed:\n" + (File.Exists(log) ? await ReadAsync(log) : "(no log)"));
                await Task.Delay(100);
            }

            await process.StandardInput.WriteAsync('\u0003');
            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("the sample did not end within 20 s of Ctrl+C:\n" + await ReadAsync(log));
            }

            var text = await ReadAsync(log);
            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.EqualTo(130), text);
                Assert.That(text.LastIndexOf(ShowCursor, StringComparison.Ordinal), Is.GreaterThan(text.LastIndexOf(HideCursor, StringComparison.Ordinal)), "the cursor is hidden at the end:\n" + text);
                Assert.That(text, Does.Contain("Interrupted.").And.Not.Contain("Unhandled exception").And.Not.Contain("sekrit-token-r7-tty"));
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await stop.CancelAsync();
            silent.Stop();
            try
            {
                await accepting;
            }
            catch (OperationCanceledException)
            {
            }

            held.ForEach(s => s.Dispose());
            File.Delete(log);
        }
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask), which its children inherit.</summary>
    private static bool SigintIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x2) != 0;
    }

    private static async Task<bool> EnvCanRestoreSigintAsync()
    {
        var start = new ProcessStartInfo("env") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--default-signal=INT", "true" })
        {
            start.ArgumentList.Add(arg);
        }

        using var env = Process.Start(start)!;
        _ = env.StandardError.ReadToEndAsync();
        await env.WaitForExitAsync();
        return env.ExitCode == 0;
    }

    private static async Task<string> ReadAsync(string path)
    {
        // script keeps the file open for writing; share it.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
