using System.Globalization;
using Leaf.Sdk;
using Leaf.Sdk.Testing;
using LeafSamples;
using LeafVerifyConnection;

// leaf-verify-connection [--user ID] [--expect P1,P2] [--min-fields N] [--min-farms N] [--min-growers N] [--max-age 24h]
// Exit code: 0 ok, 1 warnings, 2 errors (or Leaf could not be asked), 64 bad arguments or settings. Runs from cron or CI.
const int Usage = 64;
Guid? user = null;
var expectations = new SyncExpectations();
var given = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    // One value each (--expect adds up): a second --user or --max-age would silently replace the first.
    if (args[i] is "--user" or "--min-fields" or "--min-farms" or "--min-growers" or "--max-age" && !given.Add(args[i]))
    {
        return Fail($"{args[i]} given twice; pass it once. Try --help.", Usage);
    }

    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--user" when value is not null:
            if (!Guid.TryParse(value, out var id) || id == Guid.Empty)
            {
                return Fail($"'{value}' is not a Leaf user id (a UUID).", Usage);
            }

            user = id;
            i++;
            break;
        case "--expect" when value is not null:
            foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Providers.TryParse(name, out var provider))
                {
                    return Fail($"Unknown provider '{name}'. Known: {string.Join(", ", Providers.All.Select(p => p.ApiName))}.", Usage);
                }

                expectations.ExpectedProviders.Add(provider);
            }

            i++;
            break;
        case "--min-fields" or "--min-farms" or "--min-growers" when value is not null:
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minimum))
            {
                return Fail($"{args[i]} needs a whole number, not '{value}'.", Usage);
            }

            _ = args[i] switch
            {
                "--min-fields" => expectations.MinimumFields = minimum,
                "--min-farms" => expectations.MinimumFarms = minimum,
                _ => expectations.MinimumGrowers = minimum,
            };
            i++;
            break;
        case "--max-age" when value is not null:
            if (Duration.TryParse(value) is not { } age)
            {
                return Fail($"--max-age needs a duration such as 90m, 24h or 7d, not '{value}'.", Usage);
            }

            expectations.MaxSyncAge = age;
            i++;
            break;
        case "-h" or "--help":
            Console.WriteLine("Usage: leaf-verify-connection [--user LEAF_USER_ID] [--expect JohnDeere,ClimateFieldView]");
            Console.WriteLine("                              [--min-fields N] [--min-farms N] [--min-growers N] [--max-age 24h]");
            Console.WriteLine();
            Console.WriteLine("Checks one Leaf user's sync and prints the findings grouped by severity.");
            Console.WriteLine("Exit code: 0 ok, 1 warnings, 2 errors or Leaf could not be asked, 64 bad arguments or settings.");
            Console.WriteLine("Set LEAF_TOKEN (or LEAF_USERNAME and LEAF_PASSWORD) to call Leaf; LEAF_BASE_ADDRESS overrides the API root.");
            Console.WriteLine($"Without them, the embedded fake Leaf server answers; --user defaults to its demo user {DemoUsers.NeedsAttention} (needs attention).");
            return 0;
        case "--user" or "--expect" or "--min-fields" or "--min-farms" or "--min-growers" or "--max-age":
            return Fail($"{args[i]} needs a value. Try --help.", Usage);
        default:
            return Fail($"Unknown argument '{args[i]}'. Try --help.", Usage);
    }
}

FakeLeafServer? fake = null;
try
{
    LeafClientOptions options;
    try
    {
        (options, fake) = LeafConnection.FromEnvironment(Console.Out);
    }
    catch (Exception ex) when (ex is ArgumentException or UriFormatException)
    {
        return Fail($"Invalid settings: {ex.Message}", Usage);
    }

    if (user is null)
    {
        if (fake is null)
        {
            return Fail("Pass --user with the Leaf user id to verify.", Usage);
        }

        user = DemoUsers.NeedsAttention;
        Console.WriteLine($"No --user given: checking the demo user who needs attention ({user}).");
    }

    using var client = new IntegrationsClient(options);
    var report = await client.CheckSyncAsync(user.Value, expectations);
    Report.Print(Console.Out, report, expectations);
    return report.HasErrors ? 2 : report.HasWarnings ? 1 : 0;
}
catch (ArgumentException ex)
{
    return Fail($"Invalid settings: {ex.Message}", Usage);
}
catch (LeafApiException ex)
{
    return Fail($"Could not verify the connection: {ex.Message}", 2);
}
finally
{
    fake?.Dispose();
}

static int Fail(string message, int code)
{
    Console.Error.WriteLine($"error: {message}");
    return code;
}
