using System.Reflection.Metadata;
using Leaf.Sdk.HealthChecks;
using Leaf.Sdk.Testing;

namespace Leaf.Sdk.Tests.Round6Package;

/// <summary>
/// The .snupkg of each package holds the PDB the build writes next to the DLL. A user stepping into the SDK needs the
/// source of every file, either embedded in that PDB or reachable through a Source Link map.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SymbolsTests
{
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid SourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static IEnumerable<TestCaseData> PackageAssemblies()
    {
        yield return new TestCaseData(typeof(IntegrationsClient).Assembly.Location).SetArgDisplayNames("Leaf.Sdk");
        yield return new TestCaseData(typeof(FakeLeafServer).Assembly.Location).SetArgDisplayNames("Leaf.Sdk.Testing");
        yield return new TestCaseData(typeof(LeafSyncHealthCheckOptions).Assembly.Location).SetArgDisplayNames("Leaf.Sdk.HealthChecks");
    }

    [TestCaseSource(nameof(PackageAssemblies))]
    public void Every_source_file_is_in_the_symbols_or_source_linked(string assemblyPath)
    {
        var pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        Assert.That(File.Exists(pdbPath), Is.True, $"no PDB next to {assemblyPath}");

        using var provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
        var reader = provider.GetMetadataReader();
        var embedded = new HashSet<EntityHandle>();
        var hasSourceLink = false;
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            var kind = reader.GetGuid(info.Kind);
            if (kind == EmbeddedSource)
            {
                embedded.Add(info.Parent);
            }
            else if (kind == SourceLink)
            {
                hasSourceLink = true;
            }
        }

        var missing = reader.Documents
            .Where(d => !embedded.Contains(d))
            .Select(d => reader.GetString(reader.GetDocument(d).Name))
            .ToList();
        Assert.That(hasSourceLink || missing.Count == 0, Is.True,
            $"{missing.Count} of {reader.Documents.Count} source files are neither embedded nor source-linked, e.g. {string.Join(", ", missing.Take(3))}");
    }
}
