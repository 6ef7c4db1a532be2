using System.Globalization;
using System.Text;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>Seeded byte- and token-level mutations of valid Sync Summary bodies: the same seed gives the same bodies.</summary>
internal static class Mutations
{
    private static readonly string[] OddValues =
    [
        "null", "true", "0", "-1", "-0", "1e2", "12.0", "1.5", "2147483648", "-2147483649", "1e400", "99999999999999999999",
        "\"\"", "\"x\"", "\"12\"", "\"JohnDeere\"", "\"CNHi\"", "\"\\u004AohnDeere\"", "\"\\uD800\"", "\"not-a-uuid\"",
        "\"2023-08-30T18:39:33.123456789Z\"", "\"2023-08-30T18:39:33\"", "\"2023-02-30T00:00:00Z\"", "\"0001-01-01T00:00:00+01:00\"",
        "[]", "[1]", "{}", "{\"a\":[1,{\"b\":null}]}", "[null]",
    ];

    private static readonly string[] Keys = ["message", "summaries", "provider", "leafUserId", "growers", "farms", "fields", "syncReferenceTime", "extra", "Provider", "GROWERS"];

    private const string Alphabet = " {}[]\",:0123456789-.eE+nultrfasx\\";

    public static (byte[] Body, string How) Next(Random random, byte[][] seeds)
    {
        var bytes = seeds[random.Next(seeds.Length)];
        var hows = new List<string>();
        for (var round = 0; round < 1 + random.Next(2); round++)
        {
            var kind = random.Next(11);
            hows.Add(kind.ToString(CultureInfo.InvariantCulture));
            bytes = kind switch
            {
                0 => bytes[..random.Next(bytes.Length + 1)],
                1 => Flip(bytes, random),
                2 => Insert(bytes, random.Next(bytes.Length + 1), Encoding.UTF8.GetBytes(OddValues[random.Next(OddValues.Length)])),
                3 => ReplaceValue(bytes, random),
                4 => DuplicateKey(bytes, random),
                5 => Nest(bytes, random),
                6 => Insert(bytes, random.Next(bytes.Length + 1), Pick(random, [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFC], [0x00], [0x1F]])),
                7 => [.. Pick(random, [[0xEF, 0xBB, 0xBF], [0xEF], [0xBB, 0xBF], "  \r\n"u8.ToArray(), [0xFF, 0xFE]]), .. bytes],
                8 => [.. bytes, .. Pick(random, ["x"u8.ToArray(), " {}"u8.ToArray(), "\n\n"u8.ToArray(), [0], ","u8.ToArray(), "]"u8.ToArray()])],
                9 => DeleteSpan(bytes, random),
                _ => Insert(bytes, random.Next(bytes.Length + 1), [(byte)Alphabet[random.Next(Alphabet.Length)]]),
            };
        }

        return (bytes, string.Join("+", hows));
    }

    private static byte[] Pick(Random random, byte[][] choices) => choices[random.Next(choices.Length)];

    private static byte[] Insert(byte[] bytes, int at, byte[] what) => [.. bytes[..at], .. what, .. bytes[at..]];

    private static byte[] Flip(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        copy[random.Next(copy.Length)] = (byte)Alphabet[random.Next(Alphabet.Length)];
        return copy;
    }

    private static byte[] DeleteSpan(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var at = random.Next(bytes.Length);
        var count = Math.Min(1 + random.Next(12), bytes.Length - at);
        return [.. bytes[..at], .. bytes[(at + count)..]];
    }

    // A value after a random colon, up to the next comma or closing brace, becomes an odd one.
    private static byte[] ReplaceValue(byte[] bytes, Random random)
    {
        var colons = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)':').ToList();
        if (colons.Count == 0)
        {
            return bytes;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var end = start;
        while (end < bytes.Length && bytes[end] is not ((byte)',' or (byte)'}'))
        {
            end++;
        }

        return [.. bytes[..start], .. Encoding.UTF8.GetBytes(OddValues[random.Next(OddValues.Length)]), .. bytes[end..]];
    }

    private static byte[] DuplicateKey(byte[] bytes, Random random)
    {
        var braces = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'{').ToList();
        if (braces.Count == 0)
        {
            return bytes;
        }

        var member = $"\"{Keys[random.Next(Keys.Length)]}\":{OddValues[random.Next(OddValues.Length)]},";
        return Insert(bytes, braces[random.Next(braces.Count)] + 1, Encoding.UTF8.GetBytes(member));
    }

    private static byte[] Nest(byte[] bytes, Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(55, 70) : random.Next(1, 20);
        var nested = new string('[', depth) + "1" + new string(']', depth);
        var braces = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'{').ToList();
        return braces.Count == 0
            ? Encoding.UTF8.GetBytes(nested)
            : Insert(bytes, braces[random.Next(braces.Count)] + 1, Encoding.UTF8.GetBytes($"\"extra\":{nested},"));
    }
}
