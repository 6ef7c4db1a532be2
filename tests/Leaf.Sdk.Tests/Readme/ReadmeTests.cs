using System.Text.RegularExpressions;

namespace Leaf.Sdk.Tests.Readme;

/// <summary>README.md's C# blocks are the compiled snippets of ReadmeSnippets.cs, verbatim: the README cannot rot.</summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class ReadmeTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Test]
    public void Every_csharp_block_in_the_readme_is_a_compiled_snippet()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var snippets = Snippets(File.ReadAllText(Path.Combine(RepositoryRoot, "tests", "Leaf.Sdk.Tests", "Readme", "ReadmeSnippets.cs")).ReplaceLineEndings("\n"));
        var blocks = CsharpBlock().Matches(readme);

        Assert.That(blocks, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (Match block in blocks)
            {
                var name = block.Groups["name"].Value;
                Assert.That(name, Is.Not.Empty, $"A ```csharp block has no <!-- snippet: NAME --> marker:\n{block.Value}");
                if (name.Length == 0)
                {
                    continue;
                }

                Assert.That(snippets.ContainsKey(name), Is.True, $"README names snippet '{name}', which ReadmeSnippets.cs does not have.");
                if (snippets.TryGetValue(name, out var code))
                {
                    Assert.That(block.Groups["code"].Value.TrimEnd(), Is.EqualTo(code), $"README's '{name}' differs from the compiled snippet.");
                }
            }
        });
    }

    private static Dictionary<string, string> Snippets(string source)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in SnippetRegion().Matches(source))
        {
            var lines = match.Groups["code"].Value.TrimEnd().Split('\n');
            var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
            result[match.Groups["name"].Value] = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        }

        return result;
    }

    private static string FindRoot()
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

    [GeneratedRegex(@"(?:<!-- snippet: (?<name>[\w-]+) -->\n)?```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    [GeneratedRegex(@"[ \t]*// begin-snippet: (?<name>[\w-]+)\n(?<code>.*?)\n[ \t]*// end-snippet", RegexOptions.Singleline)]
    private static partial Regex SnippetRegion();
}
