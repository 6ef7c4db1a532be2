using System.Text.RegularExpressions;

namespace Leaf.Sdk.Tests.Round9Ci;

/// <summary>
/// The README opens with the two commands a newcomer runs; CI must run those same commands, so that a green CI means
/// the newcomer's path works. Before, CI ran the sample as <c>-c Release --no-build</c>, never the README's command.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class CiScriptTests
{
    private static readonly string Root = RepositoryRoot();

    [Test]
    public void The_ci_script_runs_each_of_the_readmes_opening_commands_as_written()
    {
        var commands = ReadmeOpeningCommands();
        var script = ScriptCommandLines();

        Assert.That(commands, Has.Count.EqualTo(2), "the README opens with the sample run and the test run");
        Assert.Multiple(() =>
        {
            foreach (var command in commands)
            {
                Assert.That(script.Any(line => RunsAsWritten(line, command)), Is.True, $".ci/run does not run the README's command '{command}' as written");
            }
        });
    }

    [Test]
    public void The_readmes_opening_commands_are_found_in_its_first_block()
    {
        Assert.That(
            ReadmeOpeningCommands(),
            Is.EqualTo(new[] { "dotnet run --project samples/Leaf.Sdk.Samples.SyncSummary", "dotnet test Leaf.Sdk.sln" }));
    }

    [Test]
    public void The_ci_script_and_its_steps_are_executable_bash_scripts()
    {
        var scripts = Directory.GetFiles(Path.Combine(Root, ".ci")).Where(f => Path.GetFileName(f) == "run" || f.EndsWith(".sh", StringComparison.Ordinal)).ToList();

        Assert.That(scripts, Has.Count.GreaterThanOrEqualTo(5));
        Assert.Multiple(() =>
        {
            foreach (var script in scripts)
            {
                Assert.That(File.ReadLines(script).First(), Is.EqualTo("#!/usr/bin/env bash"), script);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.That(File.GetUnixFileMode(script) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute), script);
                }
            }
        });
    }

    [TestCase("dotnet test Leaf.Sdk.sln --logger \"trx\" --results-directory \"$out/tests\"", "dotnet test Leaf.Sdk.sln", true)]
    [TestCase("dotnet run --project samples/X > \"$log\" 2>&1", "dotnet run --project samples/X", true)]
    [TestCase("env -u LEAF_TOKEN dotnet run --project samples/X", "dotnet run --project samples/X", true)]
    [TestCase("dotnet run --project samples/X -c Release --no-build > \"$log\" 2>&1", "dotnet run --project samples/X", false)]
    [TestCase("dotnet test Leaf.Sdk.sln --filter Category=Fast", "dotnet test Leaf.Sdk.sln", false)]
    [TestCase("dotnet test Leaf.Sdk.slnx", "dotnet test Leaf.Sdk.sln", false)]
    public void A_command_runs_as_written_with_only_a_test_logger_or_a_redirection_added(string line, string command, bool expected)
    {
        Assert.That(RunsAsWritten(line, command), Is.EqualTo(expected));
    }

    /// <summary>
    /// Whether a script line runs the command as written: nothing after it that changes what is built or run (a
    /// configuration, --no-build, a filter), only the test run's TRX logger options, then the end or a redirection.
    /// </summary>
    private static bool RunsAsWritten(string line, string command)
    {
        var match = new Regex(@"(^|\s)" + Regex.Escape(command) + @"(?<rest>\s.*)?$").Match(line);
        if (!match.Success)
        {
            return false;
        }

        var rest = LoggerOptions().Replace(match.Groups["rest"].Value, "").Trim();
        return rest.Length == 0 || rest[0] is '>' or '|' or '&' or ';' or ')' || rest.StartsWith("2>", StringComparison.Ordinal);
    }

    /// <summary>The command lines of the README's first fenced block, without comments or blank lines.</summary>
    private static List<string> ReadmeOpeningCommands()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var block = FirstFence().Match(readme);
        Assert.That(block.Success, Is.True, "the README has a fenced block");
        return block.Groups["body"].Value.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
    }

    /// <summary>The lines of .ci/run that are not comments.</summary>
    private static List<string> ScriptCommandLines() =>
        File.ReadLines(Path.Combine(Root, ".ci", "run"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leaf.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Leaf.Sdk.sln not found above the test directory.");
    }

    [GeneratedRegex(@"\s--(logger|results-directory)\s+(""[^""]*""|\S+)")]
    private static partial Regex LoggerOptions();

    [GeneratedRegex("```[a-z]*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstFence();
}
