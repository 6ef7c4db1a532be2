using System.Globalization;

namespace Leaf.Sdk;

/// <summary>
/// Checks a Sync Summary against what the providers expose and what you expect: the logic a support engineer runs
/// to verify a new connection or to find out why data is missing. Pure functions over the response; the present
/// moment comes from a <see cref="TimeProvider"/>.
/// </summary>
/// <example>
/// <code>
/// var report = await client.CheckSyncAsync(leafUserId, new SyncExpectations { ExpectedProviders = { Provider.JohnDeere } });
/// foreach (var finding in report.Findings)
/// {
///     Console.WriteLine(finding);
/// }
/// </code>
/// </example>
public static class SyncChecks
{
    private static readonly FmisLevels[] UpperLevels = [FmisLevels.Grower, FmisLevels.Farm];
    private static readonly FmisLevels[] AllLevels = [.. UpperLevels, FmisLevels.Field];

    /// <summary>Checks every Leaf user in <paramref name="response"/>.</summary>
    /// <param name="response">The Sync Summary to check.</param>
    /// <param name="expectations">What should be there; <see langword="null"/> for the defaults (sync age only).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="SyncExpectations.ExpectedProviders"/> holds a provider that is not known.</exception>
    public static SyncReport Check(SyncSummaryResponse response, SyncExpectations? expectations = null, TimeProvider? timeProvider = null) =>
        CheckCore(response, null, expectations, timeProvider);

    /// <summary>Checks one Leaf user's summaries in <paramref name="response"/>; summaries of other users are ignored.</summary>
    /// <param name="response">The Sync Summary to check.</param>
    /// <param name="leafUserId">The Leaf user.</param>
    /// <param name="expectations">What should be there; <see langword="null"/> for the defaults (sync age only).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="leafUserId"/> is <see cref="Guid.Empty"/>, or <see cref="SyncExpectations.ExpectedProviders"/> holds a
    /// provider that is not known.
    /// </exception>
    public static SyncReport CheckUser(SyncSummaryResponse response, Guid leafUserId, SyncExpectations? expectations = null, TimeProvider? timeProvider = null)
    {
        // In the parameters' order: CheckUser(null, Guid.Empty) names response, the first mistake.
        ArgumentNullException.ThrowIfNull(response);
        ThrowIfEmpty(leafUserId);
        return CheckCore(response, leafUserId, expectations, timeProvider);
    }

    /// <summary>Fetches one Leaf user's Sync Summary and checks it.</summary>
    /// <param name="client">The client.</param>
    /// <param name="leafUserId">The Leaf user.</param>
    /// <param name="expectations">What should be there; <see langword="null"/> for the defaults (sync age only).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="leafUserId"/> is <see cref="Guid.Empty"/>, or <see cref="SyncExpectations.ExpectedProviders"/> holds a
    /// provider that is not known.
    /// </exception>
    /// <exception cref="LeafApiException">The call failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="client"/> was disposed, or the service provider it came from.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="client"/>, an implementation of your own (a mock's default answer, say), returned <see langword="null"/>
    /// instead of a response.
    /// </exception>
    public static async Task<SyncReport> CheckSyncAsync(
        this IIntegrationsClient client,
        Guid leafUserId,
        SyncExpectations? expectations = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfEmpty(leafUserId);
        ThrowIfUnknownExpected(expectations);
        var call = client.GetResourcesAsync(leafUserId: leafUserId, cancellationToken: cancellationToken) ?? throw ReturnedNull(client);
        var response = await call.ConfigureAwait(false) ?? throw ReturnedNull(client);
        return CheckCore(response, leafUserId, expectations, timeProvider);
    }

    // A mock's default answer (Moq's DefaultValue.Empty, NSubstitute's for a sealed type) is a task of null: checked, it
    // failed as "Value cannot be null. (Parameter 'response')", a parameter CheckSyncAsync does not have.
    private static InvalidOperationException ReturnedNull(IIntegrationsClient client) => new(
        $"{client.GetType().FullName}.GetResourcesAsync returned null. An IIntegrationsClient returns a response (with empty Summaries when nothing synced); if it is a mock, set it up to return one.");

    /// <summary>Refuses <see cref="Guid.Empty"/>, which the SDK reads as "no user" (a summary without a leafUserId).</summary>
    internal static void ThrowIfEmpty(Guid leafUserId)
    {
        if (leafUserId == Guid.Empty)
        {
            throw new ArgumentException("Pass a Leaf user id; Guid.Empty names nobody.", nameof(leafUserId));
        }
    }

    // Unknown (or a value outside the enum) names no provider Leaf could have a summary for: a finding about it would
    // blame Leaf, and advise reconnecting credentials that cannot exist, for the caller's mistake.
    private static void ThrowIfUnknownExpected(SyncExpectations? expectations)
    {
        foreach (var provider in expectations?.ExpectedProviders ?? [])
        {
            if (!Providers.IsKnown(provider))
            {
                throw new ArgumentException(
                    $"ExpectedProviders holds {provider}, which is not a known provider; expect known providers only (see Providers.All).", nameof(expectations));
            }
        }
    }

    private static SyncReport CheckCore(SyncSummaryResponse response, Guid? leafUserId, SyncExpectations? expectations, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ThrowIfUnknownExpected(expectations);
        expectations ??= new SyncExpectations();
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var findings = new List<SyncFinding>();

        var summaries = response.Summaries.Where(s => s is not null && (leafUserId is null || s.LeafUserId == leafUserId)).ToList();
        var users = leafUserId is { } one ? [one] : summaries.Select(s => s.LeafUserId).Distinct().ToList();

        if (summaries.Count == 0 && (leafUserId is null || expectations.ExpectedProviders.Count == 0))
        {
            var who = leafUserId is { } id ? $"Leaf user {id}" : "any Leaf user";
            findings.Add(new SyncFinding(
                SyncFindingSeverity.Error, SyncFindingCode.NoSummaries, Provider.Unknown, string.Empty, leafUserId,
                $"Leaf has no sync summary for {who}. Next: check the Leaf user id, and that the user has a provider connected whose first sync has finished."));
        }

        foreach (var user in users)
        {
            var own = summaries.Where(s => s.LeafUserId == user).ToList();
            // Summaries without a leafUserId (read as Guid.Empty) belong to no user who could be expected to have providers.
            var expectedProviders = user == Guid.Empty ? [] : expectations.ExpectedProviders;
            // In the enum's order: ExpectedProviders is a set, whose order is no promise.
            foreach (var expected in expectedProviders.Where(p => !own.Any(s => s.Provider == p)).Order())
            {
                var info = expected.GetInfo();
                findings.Add(new SyncFinding(
                    SyncFindingSeverity.Error, SyncFindingCode.ProviderMissing, expected, info.ApiName, user,
                    $"{info.DisplayName} is expected for Leaf user {user} but Leaf has no summary for it. Next: check that the user's {info.DisplayName} credentials are connected in Leaf, reconnect them if not, and wait for the first sync."));
            }

            foreach (var summary in own)
            {
                CheckSummary(summary, expectations, now, findings);
            }
        }

        // A summary Leaf sent twice would repeat every line of it: one fact, one finding.
        return new SyncReport(response, leafUserId, findings.Distinct(), now);
    }

    private static void CheckSummary(SyncSummary s, SyncExpectations expectations, DateTimeOffset now, List<SyncFinding> findings)
    {
        var known = Providers.IsKnown(s.Provider);
        var info = s.Provider.GetInfo();
        var name = known ? info.DisplayName : (string.IsNullOrWhiteSpace(s.ProviderName) ? "An unnamed provider" : s.ProviderName);
        var apiName = s.ProviderName.Length > 0 ? s.ProviderName : (known ? info.ApiName : string.Empty);
        Guid? user = s.LeafUserId == Guid.Empty ? null : s.LeafUserId;
        var forUser = user is { } id ? $"for Leaf user {id}" : "for a summary without a leafUserId";

        void Add(SyncFindingSeverity severity, SyncFindingCode code, string message) =>
            findings.Add(new SyncFinding(severity, code, s.Provider, apiName, user, message));

        if (!known)
        {
            Add(SyncFindingSeverity.Info, SyncFindingCode.UnknownProvider,
                $"{name} is a provider this version of Leaf.Sdk does not know, so its levels were not checked. Next: update Leaf.Sdk to a version that knows {name}.");
        }

        var fields = s.Fields;
        if (fields == 0)
        {
            Add(SyncFindingSeverity.Error, SyncFindingCode.NoFields,
                $"{name} reports 0 fields {forUser}. Next: confirm the user's {name} account has fields and that the connection's organizationDataSync / customDataSync settings include them, then trigger a new sync.");
        }
        else if (fields is null && known)
        {
            Add(SyncFindingSeverity.Warning, SyncFindingCode.ExposedLevelMissing,
                $"{name} reports no field count {forUser}, although it has a field level. Next: trigger a new sync and, if the count stays absent, ask Leaf support about this connection.");
        }

        if (known)
        {
            foreach (var level in UpperLevels)
            {
                var count = s.CountAt(level);
                var plural = Plural(level);
                if (info.Exposes(level))
                {
                    if (fields > 0 && count is null)
                    {
                        Add(SyncFindingSeverity.Warning, SyncFindingCode.ExposedLevelMissing,
                            $"{name} reports {fields} fields but no {level.ToString().ToLowerInvariant()} count {forUser}, although it has that level. Next: check the {plural} in the user's {name} account and ask Leaf support why they did not sync.");
                    }
                    else if (fields > 0 && count == 0)
                    {
                        Add(SyncFindingSeverity.Warning, SyncFindingCode.ExposedLevelEmpty,
                            $"{name} reports {fields} fields but 0 {plural} {forUser}. Next: check the {plural} in the user's {name} account and the connection's organizationDataSync / customDataSync settings.");
                    }
                }
                else if (count is { } unexpected)
                {
                    Add(SyncFindingSeverity.Info, SyncFindingCode.UnexpectedLevelCount,
                        $"{name} reports {unexpected} {plural}, a level it does not expose in Leaf's FMIS table: Leaf may have changed. Next: nothing to fix on the connection; update Leaf.Sdk when a newer version is out.");
                }
            }
        }

        foreach (var level in AllLevels)
        {
            if ((known ? info.Exposes(level) : level == FmisLevels.Field)
                && expectations.MinimumFor(s.Provider, level) is { } minimum
                && s.CountAt(level) is { } count and > 0
                && count < minimum)
            {
                Add(SyncFindingSeverity.Warning, SyncFindingCode.BelowExpectedScope,
                    $"{name} reports {count} {Plural(level)} {forUser}, fewer than the {minimum} expected. Next: check the connection's organizationDataSync (SELECTED_ONLY syncs only the selected organizations) and customDataSync settings.");
            }
        }

        if (s.SyncReferenceTime is not { } syncedAt)
        {
            Add(SyncFindingSeverity.Warning, SyncFindingCode.SyncTimeMissing,
                $"{name} reports no sync time {forUser}, so its age is unknown. Next: check that the API answers with the current response shape (syncReferenceTime), and trigger a new sync.");
        }
        else if (now - syncedAt > expectations.MaxSyncAge)
        {
            Add(SyncFindingSeverity.Warning, SyncFindingCode.SyncStale,
                string.Create(CultureInfo.InvariantCulture, $"{name} last synced {DescribeAge(now - syncedAt, expectations.MaxSyncAge)} ago ({syncedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC) {forUser}, more than the {Describe(expectations.MaxSyncAge)} allowed. Next: check that the user's {name} credentials are still valid in Leaf and trigger a new sync."));
        }
    }

    private static string Plural(FmisLevels level) => level switch
    {
        FmisLevels.Grower => "growers",
        FmisLevels.Farm => "farms",
        _ => "fields",
    };

    // Whole units and the rest in the next smaller one ("2 h 30 min", "9 days"): one unit alone rounded a limit of
    // 150 min down to "2 h", and an age of 24 h 59 min to the "24 h" it was said to exceed.
    internal static string Describe(TimeSpan span)
    {
        // MaxSyncAge takes any positive span (a test forcing staleness sets 500 ms, or one tick): whole seconds said
        // "more than the 0 s allowed".
        if (span < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0.####} ms");
        }

        var (whole, unit, rest, restUnit) = span switch
        {
            { TotalDays: >= 2 } => ((long)span.TotalDays, "days", span.Hours, "h"),
            { TotalHours: >= 2 } => ((long)span.TotalHours, "h", span.Minutes, "min"),
            { TotalMinutes: >= 2 } => ((long)span.TotalMinutes, "min", span.Seconds, "s"),
            _ => ((long)span.TotalSeconds, "s", 0, string.Empty),
        };
        return rest == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{whole} {unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{whole} {unit} {rest} {restUnit}");
    }

    // An age past the limit by less than the text shows would read "24 h ago, more than the 24 h allowed".
    private static string DescribeAge(TimeSpan age, TimeSpan limit)
    {
        var text = Describe(age);
        return text == Describe(limit) ? "just over " + text : text;
    }
}
