namespace Leaf.Sdk.Tests.Round10Aot;

/// <summary>
/// The AOT probe (tests/Leaf.Sdk.AotProbe) is the only check that the library's failure paths work as a Native AOT binary,
/// where a gap shows only at run time. It stays useful only while CI publishes and runs it, as Native AOT, without WireMock
/// (not AOT-safe), and out of the solution the tests build.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AotProbeWiringTests
{
    private static readonly string Root = RepositoryRoot();

    [Test]
    public void The_aot_script_publishes_the_probe_and_runs_it()
    {
        var lines = File.ReadLines(Path.Combine(Root, ".ci", "aot.sh")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(lines, Does.Contain("publish tests/Leaf.Sdk.AotProbe probe"));
            Assert.That(lines.Any(l => l.StartsWith("\"$out/probe/leaf-aot-probe\"", StringComparison.Ordinal)), Is.True, "the probe binary is run");
            Assert.That(lines, Does.Contain("set -euo pipefail"), "a failing probe fails the script");
        });
    }

    [Test]
    public void The_probe_is_a_native_aot_program_without_wiremock_outside_the_solution()
    {
        var project = File.ReadAllText(Path.Combine(Root, "tests", "Leaf.Sdk.AotProbe", "Leaf.Sdk.AotProbe.csproj"));
        var references = System.Xml.Linq.XDocument.Parse(project).Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? "")
            .ToList();
        var solution = File.ReadAllText(Path.Combine(Root, "Leaf.Sdk.sln"));

        Assert.Multiple(() =>
        {
            Assert.That(project, Does.Contain("<PublishAot>true</PublishAot>"));
            Assert.That(references, Has.Count.GreaterThan(0));
            Assert.That(references, Has.None.Contains("WireMock").And.None.Contains("Leaf.Sdk.Testing"));
            Assert.That(solution, Does.Not.Contain("Leaf.Sdk.AotProbe"), "dotnet test Leaf.Sdk.sln would build it for nothing");
        });
    }

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
