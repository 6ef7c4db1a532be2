using System.Text.RegularExpressions;

namespace Leaf.Sdk.Tests.Round8Docs;

/// <summary>
/// README.md is packed into every package (Directory.Build.props, PackageReadmeFile), so it is also the package's page
/// on the gallery: a link relative to the repository is broken there, and a command that needs the repository's files
/// must say it is run in a clone. In the repository the README still opens with the sample run and the test run.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class PackageReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

    [Test]
    public void Every_link_and_image_is_an_absolute_address()
    {
        var targets = LinkTarget().Matches(Readme).Select(m => m.Groups["target"].Value)
            .Concat(ReferenceDefinition().Matches(Readme).Select(m => m.Groups["target"].Value))
            .Concat(HtmlAttribute().Matches(Readme).Select(m => m.Groups["target"].Value))
            .ToList();

        Assert.That(targets, Is.Not.Empty, "the README links to Leaf's site at least; the patterns no longer find links");
        Assert.That(
            targets.Where(t => !t.StartsWith("https://", StringComparison.Ordinal) && !t.StartsWith("http://", StringComparison.Ordinal)),
            Is.Empty,
            "a relative link (or an in-page anchor) is broken on the package's gallery page: name the file in words instead");
    }

    [Test]
    public void The_readme_opens_with_the_sample_run_and_the_test_run_introduced_as_clone_commands()
    {
        var firstFence = Readme.IndexOf("```", StringComparison.Ordinal);
        var before = Readme[..firstFence];
        var block = Readme[firstFence..Readme.IndexOf("```", firstFence + 3, StringComparison.Ordinal)];

        Assert.Multiple(() =>
        {
            Assert.That(block, Does.StartWith("```bash\n"));
            Assert.That(block, Does.Contain("\ndotnet run --project samples/Leaf.Sdk.Samples.SyncSummary\n"));
            Assert.That(block, Does.Contain("\ndotnet test Leaf.Sdk.sln\n"));
            Assert.That(before.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1], Does.Contain("In a clone of this repository"));
            Assert.That(before, Does.Not.Contain("\n## "), "the commands come before the first section");
        });
    }

    // A gallery reader has the package, not the repository: a section that runs the repository's projects says where.
    [Test]
    public void Every_section_with_a_command_on_the_repositorys_files_says_it_runs_in_a_clone()
    {
        var sections = Regex.Split(Readme, @"\n(?=## )");
        var needing = sections
            .Where(s => RepositoryCommand().IsMatch(s))
            .Select(s => s.Split('\n')[0])
            .ToList();

        Assert.That(needing, Is.Not.Empty);
        Assert.That(
            sections.Where(s => RepositoryCommand().IsMatch(s) && !s.Contains("in a clone of this repository", StringComparison.OrdinalIgnoreCase)).Select(s => s.Split('\n')[0]),
            Is.Empty);
    }

    // ReadmeTests compiles every ```csharp block; one fenced as ```cs or ```C# would slip past it uncompiled.
    [Test]
    public void Every_csharp_block_is_fenced_as_csharp_so_the_snippet_check_sees_it()
    {
        var fences = Fence().Matches(Readme).Select(m => m.Groups["info"].Value).ToList();
        var csharp = fences.Where(info => info.Trim().Split(' ', 2)[0].ToLowerInvariant() is "cs" or "c#" or "csharp" or "c-sharp" or "dotnet").ToList();

        Assert.That(csharp, Is.Not.Empty);
        Assert.That(csharp.Where(info => info != "csharp"), Is.Empty);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?:a|img)\b[^>]*\b(?:href|src)\s*=\s*[""'](?<target>[^""']*)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAttribute();

    [GeneratedRegex(@"^```(?<info>[^`\n]+)$", RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"dotnet (?:run|publish|test)\b[^\n]*(?:samples/|benchmarks/|Leaf\.Sdk\.sln)")]
    private static partial Regex RepositoryCommand();

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
}
