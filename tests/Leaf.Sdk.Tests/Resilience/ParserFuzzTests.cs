using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Resilience;

/// <summary>
/// Thousands of random mutations of valid Sync Summary bodies, fed straight to the parser: each either parses or
/// throws <see cref="LeafApiException"/>; never another exception type, never a hang; and it reads the same whole (with
/// a Content-Length) and streamed (without one). The seed is fixed, so a failure names a case that can be replayed.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ParserFuzzTests
{
    private const int Cases = 5000;
    private static readonly TimeSpan PerCaseLimit = TimeSpan.FromSeconds(5);

    private static readonly string[] Seeds =
    [
        LeafJson.DocumentedExample,
        LeafJson.ClimateWithoutGrowers,
        LeafJson.OlderBareArray,
        """{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":1,"farms":2,"fields":3,"syncReferenceTime":"2023-08-30T18:39:33.230612345Z"},{"provider":"Stara","leafUserId":"0b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","fields":7,"syncReferenceTime":"2023-08-30T18:39:33"},{"provider":"Panorama","leafUserId":"1b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":0,"farms":0,"fields":0,"extra":{"a":[1,2,{"b":null}]}},null]}""",
        """{"message":"SUCCESS","summaries":[]}""",
    ];

    private static readonly string[] Keys = ["message", "summaries", "provider", "leafUserId", "growers", "farms", "fields", "syncReferenceTime", "extra"];

    private static readonly string[] OddValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "2147483648", "-2147483649", "1e400", "-1e400", "1E+2", "99999999999999999999999999999999",
        "0.0000000000000000000000000001", "\"\"", "\"x\"", "\"JohnDeere\"", "\"CNHi\"", "\"\\u004AohnDeere\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"",
        "\"not-a-uuid\"", "\"7b6e2c8a3f0d4c1e9a5b2d8f4e6a1c3b\"", "\"{7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b}\"", "\"0001-01-01T00:00:00+14:00\"",
        "\"9999-12-31T23:59:59.9999999-14:00\"", "\"2023-02-30T00:00:00Z\"", "\"2023-08-30T18:39:33.1234567890123Z\"", "\"2023-08-30\"", "\"yesterday\"",
        "[]", "[1,2]", "{}", "{\"a\":1}", "[null]", "[[]]", "\"\\\"\"", "\"a\\u0000b\"",
    ];

    [Test]
    public async Task Random_mutations_of_valid_bodies_parse_or_throw_LeafApiException_only()
    {
        var random = new Random(20260101);
        var escaped = new List<string>();
        var disagreed = new List<string>();
        var parsed = 0;
        var rejected = 0;

        for (var i = 0; i < Cases; i++)
        {
            var (body, how) = Mutate(random);
            var trickle = random.Next(4) == 0;

            // Each body goes through both read paths (whole, with a Content-Length; streamed, without one), which
            // must agree: the same summaries, or the same message.
            var whole = await Outcome(new TrickleStream(body, trickle, seekable: true));
            var streamed = await Outcome(new TrickleStream(body, trickle, seekable: false));
            if ((whole.Escaped ?? streamed.Escaped) is { } escape)
            {
                escaped.Add($"case {i} ({how}, trickle={trickle}) {escape} — body: {Show(body)}");
            }
            else if (whole.Text != streamed.Text)
            {
                disagreed.Add($"case {i} ({how}): whole \"{whole.Text}\" but streamed \"{streamed.Text}\" — body: {Show(body)}");
            }
            else if (whole.Parsed)
            {
                parsed++;
            }
            else
            {
                rejected++;
            }
        }

        await TestContext.Out.WriteLineAsync($"{Cases} cases: {parsed} parsed, {rejected} rejected with LeafApiException, {escaped.Count} escaped.");
        Assert.That(escaped, Is.Empty, $"{escaped.Count} of {Cases} cases escaped; first: {escaped.FirstOrDefault()}");
        Assert.That(disagreed, Is.Empty, $"{disagreed.Count} of {Cases} cases read differently whole and streamed; first: {disagreed.FirstOrDefault()}");
        Assert.Multiple(() =>
        {
            // Both outcomes must be well represented, or the mutations are too tame or too wild to mean much.
            Assert.That(parsed, Is.GreaterThan(Cases / 20), "cases that parsed");
            Assert.That(rejected, Is.GreaterThan(Cases / 4), "cases that were rejected");
        });
    }

    private static (byte[] Body, string How) Mutate(Random random)
    {
        var text = Seeds[random.Next(Seeds.Length)];
        var hows = new List<string>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            var kind = random.Next(12);
            hows.Add(kind.ToString(CultureInfo.InvariantCulture));
            bytes = kind switch
            {
                0 => bytes[..random.Next(bytes.Length + 1)],
                1 => Flip(bytes, random),
                2 => Insert(bytes, random, RandomBytes(random, 1 + random.Next(8))),
                3 => Structural(bytes, random, DeleteKey),
                4 => Structural(bytes, random, SwapType),
                5 => DuplicateKey(bytes, random),
                6 => Nest(bytes, random),
                7 => Structural(bytes, random, HugeNumber),
                8 => Insert(bytes, random, Encoding.UTF8.GetBytes(OddValues[random.Next(OddValues.Length)])),
                9 => InvalidUtf8InString(bytes, random),
                10 => Prefix(bytes, random),
                _ => Structural(bytes, random, ReplaceRoot),
            };
        }

        return (bytes, string.Join("+", hows));
    }

    private static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        for (var n = 0; n < 1 + random.Next(5) && copy.Length > 0; n++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static byte[] Insert(byte[] bytes, Random random, byte[] what)
    {
        var at = random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. what, .. bytes[at..]];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var b = new byte[count];
        random.NextBytes(b);
        return b;
    }

    private static byte[] DuplicateKey(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var brace = text.IndexOf('{', random.Next(Math.Max(1, text.Length)));
        if (brace < 0)
        {
            brace = text.IndexOf('{', StringComparison.Ordinal);
        }

        if (brace < 0)
        {
            return bytes;
        }

        var key = Keys[random.Next(Keys.Length)];
        var value = OddValues[random.Next(OddValues.Length)];
        return Encoding.UTF8.GetBytes(text.Insert(brace + 1, $"\"{key}\":{value},"));
    }

    private static byte[] Nest(byte[] bytes, Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(1, 40) : random.Next(60, 3000);
        var open = random.Next(2) == 0 ? "[" : "{\"extra\":";
        var close = open == "[" ? "]" : "}";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var text = Encoding.UTF8.GetString(bytes);
        var at = text.IndexOf("\"fields\":", StringComparison.Ordinal);
        if (at >= 0 && random.Next(2) == 0)
        {
            // Deep nesting where a summary's extra key would be skipped.
            return Encoding.UTF8.GetBytes(text.Insert(at, $"\"extra\":{nested},"));
        }

        return Encoding.UTF8.GetBytes(random.Next(2) == 0 ? nested : text.Replace("\"summaries\":", $"\"summaries\":{string.Concat(Enumerable.Repeat("[", depth))}", StringComparison.Ordinal));
    }

    private static byte[] InvalidUtf8InString(byte[] bytes, Random random)
    {
        var quote = Array.IndexOf(bytes, (byte)'"', random.Next(Math.Max(1, bytes.Length)));
        if (quote < 0)
        {
            return bytes;
        }

        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0x00], [0x1F]];
        var at = quote + 1;
        return [.. bytes[..at], .. bad[random.Next(bad.Length)], .. bytes[at..]];
    }

    private static byte[] Prefix(byte[] bytes, Random random) => random.Next(4) switch
    {
        0 => [0xEF, 0xBB, 0xBF, .. bytes],
        1 => [.. Encoding.UTF8.GetBytes(new string(' ', random.Next(1, 700))), .. bytes],
        2 => [.. Encoding.UTF8.GetBytes("<html><body>502 Bad Gateway</body></html>")],
        _ => [.. bytes, .. Encoding.UTF8.GetBytes(random.Next(2) == 0 ? " {}" : "\n\n")],
    };

    private static byte[] Structural(byte[] bytes, Random random, Func<JsonNode, Random, JsonNode?> change)
    {
        try
        {
            if (JsonNode.Parse(bytes) is not { } root)
            {
                return bytes;
            }

            var changed = change(root, random);
            return Encoding.UTF8.GetBytes(changed?.ToJsonString() ?? "null");
        }
#pragma warning disable CA1031 // An earlier mutation may have broken the JSON (JsonNode reads lazily); then this one leaves it as it is.
        catch (Exception)
#pragma warning restore CA1031
        {
            return bytes;
        }
    }

    private static List<JsonObject> Objects(JsonNode node)
    {
        var found = new List<JsonObject>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    found.Add(o);
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }

                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }

                    break;
            }
        }

        Walk(node);
        return found;
    }

    private static JsonNode? DeleteKey(JsonNode root, Random random)
    {
        var objects = Objects(root).Where(o => o.Count > 0).ToList();
        if (objects.Count > 0)
        {
            var o = objects[random.Next(objects.Count)];
            o.Remove(o.ElementAt(random.Next(o.Count)).Key);
        }

        return root;
    }

    private static JsonNode? SwapType(JsonNode root, Random random)
    {
        var objects = Objects(root).Where(o => o.Count > 0).ToList();
        if (objects.Count > 0)
        {
            var o = objects[random.Next(objects.Count)];
            var key = o.ElementAt(random.Next(o.Count)).Key;
            o[key] = JsonNode.Parse(OddValues[random.Next(OddValues.Length)].Replace("1e400", "1", StringComparison.Ordinal)
                .Replace("\"\\uD800\"", "\"x\"", StringComparison.Ordinal).Replace("\"\\uDC00\\uD800\"", "\"y\"", StringComparison.Ordinal));
        }

        return root;
    }

    private static JsonNode? HugeNumber(JsonNode root, Random random)
    {
        var objects = Objects(root).Where(o => o.Count > 0).ToList();
        if (objects.Count > 0)
        {
            var o = objects[random.Next(objects.Count)];
            var key = o.ElementAt(random.Next(o.Count)).Key;
            string[] huge = ["9223372036854775808", "-9223372036854775809", "1E+308", "1.7976931348623157E+308", "123456789012345678901234567890"];
            o[key] = JsonNode.Parse(huge[random.Next(huge.Length)]);
        }

        return root;
    }

    private static JsonNode? ReplaceRoot(JsonNode root, Random random) => random.Next(5) switch
    {
        0 => JsonNode.Parse(OddValues[random.Next(OddValues.Length)].Replace("1e400", "2", StringComparison.Ordinal)
            .Replace("\"\\uD800\"", "\"x\"", StringComparison.Ordinal).Replace("\"\\uDC00\\uD800\"", "\"y\"", StringComparison.Ordinal)),
        1 => new JsonObject { ["summaries"] = root is JsonObject o && o["summaries"] is { } s ? s.DeepClone() : new JsonArray() },
        2 => new JsonObject { ["summaries"] = new JsonObject { ["provider"] = "JohnDeere" } },
        3 => new JsonArray(root.DeepClone(), root.DeepClone()),
        _ => new JsonObject { ["message"] = 42, ["summaries"] = "none" },
    };

    private static string Show(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
        return body.Length > 300 ? text + "…" : text;
    }

    // Parses one body: what it parsed to or the message it was rejected with, or how it escaped.
    private static async Task<(bool Parsed, string Text, string? Escaped)> Outcome(TrickleStream body)
    {
        using (var content = new StreamContent(body))
        {
            try
            {
                var response = await WithoutHanging(SyncSummaryParser.ParseAsync(content, sentToken: null, CancellationToken.None).AsTask(), body);
                return (true, $"{response.Message}|{string.Join(';', response.Summaries)}", null);
            }
            catch (LeafApiException ex)
            {
                return ex.Message.Length > 0 ? (false, ex.Message, null) : (false, string.Empty, "threw a LeafApiException without a message");
            }
            catch (TimeoutException)
            {
                return (false, string.Empty, "hung");
            }
#pragma warning disable CA1031 // The point of the test is to catch every other exception type and report it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return (false, string.Empty, $"threw {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    // A parse hangs when it stops reading for PerCaseLimit, or reads on past the end of the body: not when it is slow. A
    // trickled body of deep nesting takes hundreds of thread-pool hops, which at a load average of 40 took over 5 s
    // (helper r12-flake, 1 case in 5,000, once).
    private static async Task<SyncSummaryResponse> WithoutHanging(Task<SyncSummaryResponse> parse, TrickleStream body)
    {
        var reads = -1;
        var since = DateTime.UtcNow;
        while (!parse.IsCompleted)
        {
            await Task.WhenAny(parse, Task.Delay(TimeSpan.FromMilliseconds(100)));
            if (body.Reads != reads)
            {
                (reads, since) = (body.Reads, DateTime.UtcNow);
            }

            if (!parse.IsCompleted && (DateTime.UtcNow - since > PerCaseLimit || body.ReadsAtTheEnd > 100))
            {
                throw new TimeoutException();
            }
        }

        return await parse;
    }

    // When trickling, hands out at most 3 bytes per read, yielding first, so the parser meets every token split across
    // reads. StreamContent knows the length of a stream that can seek (the whole-body path) and not of one that cannot
    // (the streaming path, as for a chunked body).
    private sealed class TrickleStream(byte[] body, bool trickle, bool seekable) : MemoryStream(body, writable: false)
    {
        private int _reads;
        private int _readsAtTheEnd;

        /// <summary>Reads so far.</summary>
        public int Reads => Volatile.Read(ref _reads);

        /// <summary>Reads that found the body at its end (a parser that does not stop there keeps reading).</summary>
        public int ReadsAtTheEnd => Volatile.Read(ref _readsAtTheEnd);

        public override bool CanSeek => seekable;

        public override int Read(byte[] buffer, int offset, int count) => Counted(base.Read(buffer, offset, Limit(count)));

        public override int Read(Span<byte> buffer) => Counted(base.Read(buffer[..Limit(buffer.Length)]));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (trickle)
            {
                await Task.Yield();
            }

            return Counted(await base.ReadAsync(buffer[..Limit(buffer.Length)], cancellationToken));
        }

        private int Counted(int read)
        {
            Interlocked.Increment(ref _reads);
            if (read == 0)
            {
                Interlocked.Increment(ref _readsAtTheEnd);
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Limit(int count) => trickle ? Math.Min(count, 3) : count;
    }
}
