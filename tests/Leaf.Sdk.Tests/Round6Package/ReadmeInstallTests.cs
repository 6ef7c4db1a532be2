using System.Text.RegularExpressions;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round6Package;

/// <summary>
/// The README is each package's page on the gallery: it has to tell a user which package to add and which namespace
/// to import for what it shows, and those have to be the real ones.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed partial class ReadmeInstallTests
{
    private const string DependencyInjection = "Microsoft.Extensions.DependencyInjection";

    private static readonly string RepositoryRoot = FindRoot();

    private static string Readme => File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));

    [Test]
    public void Readme_has_an_install_line_for_each_package_and_no_other()
    {
        var packages = Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToList();
        var installed = AddPackage().Matches(Readme).Select(m => m.Groups["id"].Value).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.That(packages, Is.EqualTo(new[] { "Leaf.Sdk", "Leaf.Sdk.HealthChecks", "Leaf.Sdk.Testing" }));
        Assert.That(installed, Is.EqualTo(packages));
    }

    private static IEnumerable<TestCaseData> Packages()
    {
        yield return new TestCaseData(typeof(IntegrationsClient).Assembly.GetName().Name, typeof(IntegrationsClient).Assembly.GetExportedTypes()).SetArgDisplayNames("Leaf.Sdk");
        yield return new TestCaseData(typeof(FakeLeafServer).Assembly.GetName().Name, typeof(FakeLeafServer).Assembly.GetExportedTypes()).SetArgDisplayNames("Leaf.Sdk.Testing");
        yield return new TestCaseData(typeof(LeafSyncHealthCheckOptions).Assembly.GetName().Name, typeof(LeafSyncHealthCheckOptions).Assembly.GetExportedTypes()).SetArgDisplayNames("Leaf.Sdk.HealthChecks");
    }

    [TestCaseSource(nameof(Packages))]
    public void Readme_names_the_namespace_of_every_public_type(string package, Type[] exported)
    {
        var readme = Readme;
        var namespaces = exported.Select(t => t.Namespace!).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Multiple(() =>
        {
            // The extension methods (AddLeafSdk, AddLeafSync) sit in Microsoft.Extensions.DependencyInjection, as DESIGN §2
            // asks, so they need no using; every other namespace is one the user imports.
            foreach (var ns in namespaces.Where(n => n != DependencyInjection))
            {
                Assert.That(readme.Contains($"`using {ns};`", StringComparison.Ordinal), Is.True, $"{package}: the README never says to import {ns}");
            }

            Assert.That(namespaces.All(n => n == DependencyInjection || n == package), Is.True,
                $"{package} has public types outside its own namespace and {DependencyInjection}: {string.Join(", ", namespaces)}");
            if (namespaces.Contains(DependencyInjection))
            {
                Assert.That(readme.Contains($"`{DependencyInjection}`", StringComparison.Ordinal), Is.True, $"{package}: the README never names {DependencyInjection}");
            }
        });
    }

    [GeneratedRegex(@"^dotnet add package (?<id>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AddPackage();

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
}
