using Leaf.Sdk;
using Leaf.Sdk.Testing;
using LeafWebApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

// Configuration: appsettings.json, then environment variables (Leaf__AccessToken, Leaf__Username, Leaf__Password,
// Leaf__BaseAddress, SyncChecks__HealthLeafUserIds__0, ...), then the command line. Listens where --urls or
// ASPNETCORE_URLS say.
WebApplication app;
try
{
    app = Build(args);
}
catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or ArgumentException)
{
    // A configuration mistake is the operator's to fix: one line that names the setting, not a crash with a stack trace.
    Console.Error.WriteLine($"error: invalid configuration: {ex.Message}");
    return 1;
}

app.Run();
return 0;

static WebApplication Build(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Services.AddLeafSdk(builder.Configuration.GetSection(LeafClientOptions.SectionName));

    var syncSettings = SyncSettings.From(builder.Configuration.GetSection(SyncSettings.SectionName));
    builder.Services.AddSingleton(Options.Create(syncSettings));

    // No credentials: the embedded fake Leaf server answers, so the app runs (and CI smoke-tests it) without a Leaf account.
    var leaf = builder.Configuration.GetSection(LeafClientOptions.SectionName);
    FakeLeafServer? fake = null;
    if (string.IsNullOrWhiteSpace(leaf["AccessToken"]) && string.IsNullOrWhiteSpace(leaf["Username"]))
    {
        fake = FakeLeafServer.Start();
        builder.Services.AddSingleton(fake);
        builder.Services.PostConfigure<LeafClientOptions>(options =>
        {
            options.BaseAddress = fake.BaseAddress;
            options.AccessToken = fake.AccessToken;
        });
        if (syncSettings.HealthLeafUserIds.Count == 0)
        {
            syncSettings.HealthLeafUserIds.Add(DemoUsers.Healthy);
        }
    }

    builder.Services.AddHealthChecks().AddLeafSync(options =>
    {
        foreach (var user in syncSettings.HealthLeafUserIds)
        {
            options.LeafUserIds.Add(user);
        }

        options.Expectations = syncSettings.ToExpectations();
    });
    builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));

    var app = builder.Build();
    var baseAddress = app.Services.GetRequiredService<IOptions<LeafClientOptions>>().Value.BaseAddress;
    if (fake is not null)
    {
        Log.UsingFakeServer(app.Logger, baseAddress);
    }
    else
    {
        Log.UsingLeaf(app.Logger, baseAddress);
    }

    app.MapGet("/", () => Results.Text("Leaf.Sdk sample: GET /sync/{leafUserId} for a user's sync summary and findings, GET /health for the Leaf sync health check.\n"));

    app.MapGet("/sync/{leafUserId:guid}", async Task<IResult> (Guid leafUserId, IIntegrationsClient client, IOptions<SyncSettings> settings, ILogger<Program> logger, CancellationToken cancellationToken) =>
    {
        if (leafUserId == Guid.Empty)
        {
            return TypedResults.Problem(title: "Invalid Leaf user id", detail: "Guid.Empty names no Leaf user.", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            var report = await client.CheckSyncAsync(leafUserId, settings.Value.ToExpectations(), cancellationToken: cancellationToken);
            var result = SyncResult.From(report, leafUserId);
            Log.Checked(logger, leafUserId, result.Status, result.Summaries.Count, report.Findings.Count(f => f.Severity == SyncFindingSeverity.Error), report.Findings.Count(f => f.Severity == SyncFindingSeverity.Warning));
            return TypedResults.Ok(result);
        }
        catch (LeafApiException ex)
        {
            Log.LeafFailed(logger, leafUserId, (int?)ex.StatusCode, ex.Message);
            return TypedResults.Problem(title: "The Leaf call failed", detail: ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    });

    app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
    return app;
}
