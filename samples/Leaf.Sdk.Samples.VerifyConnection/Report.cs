using System.Globalization;
using Leaf.Sdk;

namespace LeafVerifyConnection;

/// <summary>Prints a sync report: what was expected, the providers side by side, the findings grouped by severity, the verdict.</summary>
internal static class Report
{
    public static void Print(TextWriter output, SyncReport report, SyncExpectations expectations)
    {
        var expected = expectations.ExpectedProviders.Count == 0 ? "none" : string.Join(", ", expectations.ExpectedProviders.Select(p => p.GetInfo().ApiName));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Leaf user {report.LeafUserId}: expected providers {expected}; last sync within {Describe(expectations.MaxSyncAge)}{Minimums(expectations)}."));
        output.WriteLine();
        if (report.LeafUserId is { } user && report.Response.Summaries.Count > 0)
        {
            output.Write(SyncComparison.Create(report.Response, user));
            output.WriteLine();
        }

        foreach (var (severity, title, mark) in new[] { (SyncFindingSeverity.Error, "Errors", "x"), (SyncFindingSeverity.Warning, "Warnings", "!"), (SyncFindingSeverity.Info, "Info", "i") })
        {
            var findings = report.Findings.Where(f => f.Severity == severity).ToList();
            if (findings.Count == 0)
            {
                continue;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title} ({findings.Count})"));
            foreach (var finding in findings)
            {
                var provider = finding.ProviderName.Length > 0 ? $" {finding.ProviderName}" : string.Empty;
                output.WriteLine($"  {mark} [{finding.Code}{provider}] {finding.Message}");
            }

            output.WriteLine();
        }

        var errors = report.Findings.Count(f => f.Severity == SyncFindingSeverity.Error);
        var warnings = report.Findings.Count(f => f.Severity == SyncFindingSeverity.Warning);
        var infos = report.Findings.Count(f => f.Severity == SyncFindingSeverity.Info);
        var verdict = report.HasErrors ? "ERRORS (exit 2)" : report.HasWarnings ? "WARNINGS (exit 1)" : "OK (exit 0)";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Result: {verdict}: {errors} error(s), {warnings} warning(s), {infos} info."));
    }

    private static string Minimums(SyncExpectations e)
    {
        var parts = new List<string>();
        if (e.MinimumGrowers is { } g)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{g} growers"));
        }

        if (e.MinimumFarms is { } f)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{f} farms"));
        }

        if (e.MinimumFields is { } n)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{n} fields"));
        }

        return parts.Count == 0 ? string.Empty : $"; at least {string.Join(", ", parts)} per provider";
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours} h")
            : span.ToString("c", CultureInfo.InvariantCulture);
}
