using System.Text;
using System.Text.Json;
using Leaf.Sdk.Serialization;

namespace Leaf.Sdk.Tests.Models;

/// <summary>
/// Structured bodies the mutation fuzz rarely builds: whatever the hand-written reader accepts, the serializer reads
/// the same way; what it declines, the serializer decides. Also the fast and slow timestamp paths, and the enum numbers
/// a user may have persisted.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ReaderAgreementTests
{
    private const string Declined = "declined";
    private const string Rejected = "rejected";

    [TestCase("""{"summaries":[{"provider":"JohnDeere"}],"summaries":[{"provider":"Stara"}]}""", "a duplicate summaries key")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere"}],"summaries":null}""", "a duplicate summaries key, then null")]
    [TestCase("""{"message":"a","message":null,"summaries":[]}""", "a duplicate message key")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","provider":"Stara","fields":1,"fields":2}]}""", "duplicate keys in a summary")]
    [TestCase("""{"summ\u0061ries":[{"provid\u0065r":"John\u0044eere","fi\u0065lds":1}]}""", "escaped key names and value")]
    [TestCase("""{"mess\u0061ge":"SUCCESS","summaries":[]}""", "an escaped message key")]
    [TestCase("""{"summarıes":[{"provider":"JohnDeere"}]}""", "a dotless i, which no case rule maps to i")]
    [TestCase("""{"meſſage":"x","summaries":[]}""", "a long s, which no case rule maps to s")]
    [TestCase("""{"summaries":[{"provıder":"JohnDeere"}]}""", "a dotless i in a summary key")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","fields":1e2}]}""", "an exponent")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","fields":10.0}]}""", "a fraction of zero")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","fields":2147483648}]}""", "a count beyond int")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","fields":-1}]}""", "a negative count")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","fields":-0}]}""", "minus zero")]
    [TestCase("""{"summaries":[[1]]}""", "a summary that is an array")]
    [TestCase("""{"summaries":["JohnDeere"]}""", "a summary that is a string")]
    [TestCase("""[["JohnDeere"]]""", "a bare array holding an array")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","leafUserId":"{3fa85f64-5717-4562-b3fc-2c963f66afa6}"}]}""", "a braced UUID")]
    [TestCase("""{"summaries":[{"provider":"JohnDeere","leafUserId":"3fa85f6457174562b3fc2c963f66afa6"}]}""", "a UUID without dashes")]
    [TestCase("""{"message":"SUCCESS","summaries":[],"extra":{"message":1,"summaries":{}}}""", "envelope keys nested in an extra member")]
    public void Both_readers_agree(string body, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var fast = WholeBodyReader.TryRead(bytes) is { } envelope ? Show(envelope.Message, envelope.Summaries) : Declined;
        var serializer = Serializer(bytes);

        Assert.That(serializer, Is.Not.EqualTo(Declined));
        if (fast != Declined)
        {
            Assert.That(fast, Is.EqualTo(serializer), what);
        }
    }

    [TestCase(61, false)]
    [TestCase(62, true)]
    [TestCase(200, true)]
    public void Deeply_nested_extra_members_are_read_or_refused_alike(int depth, bool refused)
    {
        var body = """{"summaries":[{"provider":"JohnDeere","x":""" + new string('[', depth) + new string(']', depth) + "}]}";
        var bytes = Encoding.UTF8.GetBytes(body);

        var fast = WholeBodyReader.TryRead(bytes) is { } envelope ? Show(envelope.Message, envelope.Summaries) : Declined;
        var serializer = Serializer(bytes);

        Assert.Multiple(() =>
        {
            Assert.That(serializer == Rejected, Is.EqualTo(refused), serializer);
            Assert.That(fast, refused ? Is.EqualTo(Declined) : Is.EqualTo(serializer));
        });
    }

    [TestCase("2023-08-30T18:39:33Z", "2023-08-30T18:39:33.0000000+00:00")]
    [TestCase("2023-08-30T18:39:33.1Z", "2023-08-30T18:39:33.1000000+00:00")]
    [TestCase("2023-08-30T18:39:33.230612Z", "2023-08-30T18:39:33.2306120+00:00")]
    [TestCase("2023-08-30T18:39:33.123456789Z", "2023-08-30T18:39:33.1234567+00:00")]
    [TestCase("2023-08-30T18:39:33.99999999Z", "2023-08-30T18:39:33.9999999+00:00")]
    [TestCase("2023-08-30T18:39:33.999999999+02:00", "2023-08-30T16:39:33.9999999+00:00")]
    [TestCase("2023-08-30T18:39:33.5-05:30", "2023-08-31T00:09:33.5000000+00:00")]
    [TestCase("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    [TestCase("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [TestCase("0001-01-01T00:00:00+01:00", Rejected)]
    [TestCase("9999-12-31T23:59:59.9999999-01:00", Rejected)]
    public void Timestamps_read_the_same_on_the_fast_and_the_escaped_path(string timestamp, string expected)
    {
        var plain = ReadTime(timestamp);
        var escaped = ReadTime(timestamp.Replace("T", "\\u0054", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(plain, Is.EqualTo(expected));
            Assert.That(escaped, Is.EqualTo(expected));
        });
    }

    [Test]
    public void Provider_enum_numbers_stay_as_shipped_so_a_persisted_value_keeps_its_meaning()
    {
        // The web defaults write an enum as its number: a stored summary must still name the same provider.
        int[] numbers = [.. Enum.GetValues<Provider>().Select(p => (int)p)];
        string[] names = Enum.GetNames<Provider>();

        Assert.Multiple(() =>
        {
            Assert.That(numbers, Is.EqualTo(Enumerable.Range(0, 10)));
            Assert.That(names, Is.EqualTo(new[] { "Unknown", "JohnDeere", "ClimateFieldView", "CNHI", "CNHIFieldOps", "Trimble", "Stara", "Raven", "AgVance", "Sentera" }));
        });
    }

    private static string ReadTime(string timestamp)
    {
        var body = "[{\"provider\":\"JohnDeere\",\"syncReferenceTime\":\"" + timestamp + "\"}]";
        try
        {
            var list = JsonSerializer.Deserialize(body, LeafJsonContext.Default.ListSyncSummary);
            return list!.Single()!.SyncReferenceTime!.Value.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (JsonException)
        {
            return Rejected;
        }
    }

    private static string Serializer(byte[] bytes)
    {
        try
        {
            if (bytes[0] == (byte)'[')
            {
                return Show(null, JsonSerializer.Deserialize(bytes, LeafJsonContext.Default.ListSyncSummary));
            }

            var envelope = JsonSerializer.Deserialize(bytes, LeafJsonContext.Default.SyncSummaryEnvelope);
            return Show(envelope?.Message, envelope?.Summaries);
        }
        catch (JsonException)
        {
            return Rejected;
        }
    }

    private static string Show(string? message, List<SyncSummary?>? summaries) =>
        $"{message ?? "<null>"}|{(summaries is null ? "<null>" : string.Join(";", summaries.Select(s => s?.ToString() ?? "null")))}";
}
