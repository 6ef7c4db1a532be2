using Leaf.Sdk;
using Leaf.Sdk.Testing;
using LeafSamples;
using LeafSyncSummary;
using Spectre.Console;

// leaf-sync-summary [--provider NAME] [--user LEAF_USER_ID] [--json] [--serve]
// Calls Leaf when LEAF_TOKEN (or LEAF_USERNAME and LEAF_PASSWORD) is set; otherwise the embedded fake server.
Provider? provider = null;
Guid? user = null;
var json = false;
var serve = false;
var given = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    // Leaf filters by one provider and one user: a second --provider would silently replace the first.
    if (args[i] is "--provider" or "--user" && !given.Add(args[i]))
    {
        return Fail($"{args[i]} given twice: Leaf filters by one {args[i][2..]} at a time. Try --help.");
    }

    switch (args[i])
    {
        case "--provider" when i + 1 < args.Length:
            if (!Providers.TryParse(args[++i], out var p))
            {
                return Fail($"Unknown provider '{args[i]}'. Known: {string.Join(", ", Providers.All.Select(x => x.ApiName))}.");
            }

            provider = p;
            break;
        case "--user" when i + 1 < args.Length:
            if (!Guid.TryParse(args[++i], out var id) || id == Guid.Empty)
            {
                return Fail($"'{args[i]}' is not a Leaf user id (a UUID).");
            }

            user = id;
            break;
        case "--json":
            json = true;
            break;
        case "--serve":
            serve = true;
            break;
        case "-h" or "--help":
            Console.WriteLine("Usage: leaf-sync-summary [--provider NAME] [--user LEAF_USER_ID] [--json]");
            Console.WriteLine("       leaf-sync-summary --serve");
            Console.WriteLine();
            Console.WriteLine("  --provider NAME   only this provider (its API name, e.g. JohnDeere)");
            Console.WriteLine("  --user ID         only this Leaf user; also shows the user's providers side by side");
            Console.WriteLine("  --json            machine-readable JSON on stdout, nothing else");
            Console.WriteLine("  --serve           run the fake Leaf server with demo data: prints LEAF_BASE_ADDRESS=... and");
            Console.WriteLine("                    LEAF_TOKEN=..., then serves until stdin closes or the process is stopped");
            Console.WriteLine();
            Console.WriteLine("Set LEAF_TOKEN (or LEAF_USERNAME and LEAF_PASSWORD) to call Leaf; LEAF_BASE_ADDRESS overrides the API root.");
            Console.WriteLine("Without them, the embedded fake Leaf server with demo data answers. NO_COLOR turns colours off.");
            Console.WriteLine("Exit code: 0 shown, 1 bad arguments or settings, or Leaf could not be asked (the reason on stderr), 130 interrupted (Ctrl+C).");
            return 0;
        case "--provider" or "--user":
            return Fail($"{args[i]} needs a value. Try --help.");
        default:
            return Fail($"Unknown argument '{args[i]}'. Try --help.");
    }
}

if (serve)
{
    return await FakeServerHost.ServeAsync();
}

var redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    Out = new AnsiConsoleOutput(Console.Out),
});
if (redirected)
{
    // No terminal to measure: wide enough that a table row never wraps in a log file.
    console.Profile.Width = 200;
}

// In --json mode stdout carries the JSON only; everything for people goes to stderr.
var notes = json ? Console.Error : Console.Out;
FakeLeafServer? fake = null;
LeafClientOptions options;
try
{
    (options, fake) = LeafConnection.FromEnvironment(notes);
}
catch (Exception ex) when (ex is ArgumentException or UriFormatException)
{
    return Fail($"Invalid settings: {ex.Message}");
}

// Ctrl+C cancels the call instead of killing the process, so the spinner ends and gives the terminal its cursor back.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

try
{
    using var client = new IntegrationsClient(options);
    var response = json || !console.Profile.Capabilities.Interactive
        ? await client.GetResourcesAsync(provider, user, interrupted.Token)
        : await console.Status().Spinner(Spinner.Known.Dots).StartAsync("Asking Leaf what synced...", _ => client.GetResourcesAsync(provider, user, interrupted.Token));

    if (json)
    {
        JsonOutput.Write(Console.OpenStandardOutput(), response, fake is not null);
        return 0;
    }

    ConsoleOutput.Render(console, response, user, DateTimeOffset.Now, TimeZoneInfo.Local);
    return 0;
}
catch (ArgumentException ex)
{
    return Fail($"Invalid settings: {ex.Message}");
}
catch (LeafApiException ex)
{
    return Fail(ex.Message);
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted.");
    return 130; // 128 + SIGINT, what a shell reports for a program Ctrl+C ended
}
finally
{
    fake?.Dispose();
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
