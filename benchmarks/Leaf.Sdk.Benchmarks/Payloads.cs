using System.Globalization;
using System.Text;

namespace Leaf.Sdk.Benchmarks;

/// <summary>The canned Sync Summary bodies every contender reads, serialized once, byte for byte the same.</summary>
public static class Payloads
{
    /// <summary>Leaf's documented example: one John Deere summary.</summary>
    public const string DocumentedExample =
        """{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":12,"farms":12,"fields":100,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"}]}""";

    private static readonly Dictionary<int, byte[]> Cache = [];

    /// <summary>The body with <paramref name="count"/> summaries: 1 = the documented example; otherwise users × every provider.</summary>
    public static byte[] Body(int count)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(count, out var body))
            {
                body = count == 1 ? Encoding.UTF8.GetBytes(DocumentedExample) : Build(count);
                Cache[count] = body;
            }

            return body;
        }
    }

    // Providers in turn, a new Leaf user every full round; keys a provider does not expose are omitted, as Leaf does.
    private static byte[] Build(int count)
    {
        var json = new StringBuilder(count * 170);
        json.Append("""{"message":"SUCCESS","summaries":[""");
        var providers = Providers.All;
        var start = new DateTimeOffset(2023, 8, 30, 18, 39, 33, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var info = providers[i % providers.Count];
            var user = new Guid(i / providers.Count, 0x3f0d, 0x4c1e, 0x9a, 0x5b, 0x2d, 0x8f, 0x4e, 0x6a, 0x1c, 0x3b);
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $$"""{"provider":"{{info.ApiName}}","leafUserId":"{{user:D}}",""");
            if (info.Levels.HasFlag(FmisLevels.Grower))
            {
                json.Append(CultureInfo.InvariantCulture, $"\"growers\":{1 + (i % 40)},");
            }

            if (info.Levels.HasFlag(FmisLevels.Farm))
            {
                json.Append(CultureInfo.InvariantCulture, $"\"farms\":{2 + (i % 90)},");
            }

            var time = start.AddTicks(i * 1_234_560L);
            json.Append(CultureInfo.InvariantCulture, $$"""
                "fields":{{10 + (i % 900)}},"syncReferenceTime":"{{time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff}}Z"}
                """);
        }

        json.Append("]}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
