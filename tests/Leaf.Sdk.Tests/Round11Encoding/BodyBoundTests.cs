using System.IO.Compression;
using System.Net;
using System.Text;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.Authentication;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round11Encoding;

/// <summary>
/// Answers too big to be honest: a decompression bomb (a few kilobytes of gzip expanding without end, to white space or
/// to summary after summary) and a plain body that never ends. Each was read for as long as AttemptTimeout allowed,
/// every summary kept in memory (hundreds of megabytes in a few seconds), then reported as "Leaf did not answer within
/// AttemptTimeout" and read again by every retry. The parser now stops at <see cref="SyncSummaryParser.MaxBodyBytes"/>:
/// one attempt, a message that says so, nothing retried. The bombs are generated as they are sent (<see cref="Bomb"/>).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class BodyBoundTests
{
    [Test]
    public void The_bombs_expand_to_what_they_say()
    {
        var bomb = Bomb.Summaries(gzip: true);
        using var compressed = new MemoryStream([.. bomb.Head, .. bomb.Block, .. bomb.Block, .. bomb.Block]);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var expanded = new MemoryStream();

        // No gzip trailer ever comes: the stream ends where the test's bytes do, with no error for a bomb that never ends.
        gzip.CopyTo(expanded);

        var text = Encoding.UTF8.GetString(expanded.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("""{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","""));
            Assert.That(expanded.Length, Is.GreaterThan(3 * bomb.ExpandedBlock));
            Assert.That(bomb.Block, Has.Length.LessThan(bomb.ExpandedBlock / 50), "a few kilobytes per megabyte");
        });
    }

    [Test]
    public async Task A_gzip_bomb_of_white_space_is_refused_once_past_the_bound([Values] ClientKind kind)
    {
        var bomb = Bomb.WhiteSpace(gzip: true);
        using var server = BombServer(bomb, "Content-Encoding: gzip");
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        AssertTooLarge(error, server);
    }

    [Test]
    public async Task A_gzip_bomb_of_summaries_is_refused_once_past_the_bound()
    {
        var bomb = Bomb.Summaries(gzip: true);
        using var server = BombServer(bomb, "Content-Encoding: gzip");
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        AssertTooLarge(error, server);
        Assert.That(error.ResponseExcerpt, Does.StartWith("""{"message":"SUCCESS","summaries":[{"provider":"JohnDeere","""), "the start of the body says what was sent");
    }

    [Test]
    public async Task A_plain_body_that_never_ends_is_refused_once_past_the_bound()
    {
        using var server = BombServer(Bomb.WhiteSpace(gzip: false));
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        AssertTooLarge(error, server);
    }

    /// <summary>Nothing but white space: the parser's look for the body's first byte is bounded as its reading is.</summary>
    [Test]
    public async Task A_gzip_bomb_of_white_space_alone_is_refused_once_past_the_bound()
    {
        using var server = BombServer(Bomb.Create(string.Empty, "\r\n      ", gzip: true), "Content-Encoding: gzip");
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith("Leaf answered with a body that went on past 128 MB"));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Resources, Is.EqualTo(1));
            Assert.That(error.ResponseExcerpt, Is.Null, "white space says nothing");
        });
    }

    /// <summary>
    /// The 401 before a renewal is not read, but disposed: .NET drains at most a megabyte of what is on the wire (here,
    /// compressed) and closes the connection. The renewal and the resend then go as usual.
    /// </summary>
    [Test]
    public async Task A_gzip_bomb_in_the_401_before_a_renewal_costs_nothing([Values] ClientKind kind)
    {
        var bomb = Bomb.WhiteSpace(gzip: true);
        using var server = new EncodingServer(async (request, stream, stop) =>
        {
            if (request.Login)
            {
                return await Encoded.Send(stream, Wire.Compressed("200 OK", "gzip", Encoded.LoginBody(request.Number == 1 ? Encoded.Jwt : Encoded.RenewedJwt)), stop);
            }

            if (request.Number > 1)
            {
                return await Encoded.Send(stream, Wire.Compressed("200 OK", "gzip", LeafJson.DocumentedExample), stop);
            }

            await stream.WriteAsync(Wire.HeadToClose("401 Unauthorized", "Content-Encoding: gzip"), stop);
            await bomb.SendAsync(stream, stop);
            return false;
        });
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, login: true));

        var response = await client.Client.GetResourcesAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Summaries.Single().Fields, Is.EqualTo(100));
            Assert.That(server.Logins, Is.EqualTo(2));
            Assert.That(server.Resources, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_body_whose_length_is_past_the_bound_is_refused_before_a_byte_of_it_is_read([Values] ClientKind kind)
    {
        const long Declared = 10L * 1024 * 1024 * 1024;
        using var server = new EncodingServer(async (_, stream, stop) =>
        {
            // The head only, then nothing: a client that started reading would wait for AttemptTimeout.
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Declared}\r\n\r\n{{\"summaries\":["), stop);
            await Task.Delay(Timeout.Infinite, stop);
            return false;
        });
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 3));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"Leaf answered with a body of {Declared} bytes (Content-Length), more than the SDK reads for a Sync Summary (128 MB"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Resources, Is.EqualTo(1));
        });
    }

    /// <summary>Just under the bound, a body still reads: the bound refuses only what no Sync Summary is.</summary>
    [Test]
    public async Task A_body_just_under_the_bound_still_reads()
    {
        var start = Encoding.UTF8.GetBytes("""{"message":"SUCCESS","summaries":[""" + Encoded.OneSummary + ",");
        var unit = Encoding.UTF8.GetBytes(new string(' ', 1024 * 1024));
        var end = Encoding.UTF8.GetBytes(Encoded.OneSummary + "]}");
        var units = (int)((SyncSummaryParser.MaxBodyBytes - start.Length - end.Length) / unit.Length);
        var length = start.Length + ((long)units * unit.Length) + end.Length;
        Assert.That(length, Is.GreaterThan(SyncSummaryParser.MaxBodyBytes - unit.Length).And.LessThanOrEqualTo(SyncSummaryParser.MaxBodyBytes));
        using var server = new EncodingServer(async (_, stream, stop) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"), stop);
            await stream.WriteAsync(start, stop);
            for (var i = 0; i < units; i++)
            {
                await stream.WriteAsync(unit, stop);
            }

            await stream.WriteAsync(end, stop);
            return true;
        });
        using var client = TestClient.Create(ClientKind.Standalone, Encoded.Options(server.Url));

        var response = await client.Client.GetResourcesAsync();

        Assert.That(response.Summaries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_gzip_bomb_in_an_error_answer_costs_only_the_excerpt([Values] ClientKind kind)
    {
        var bomb = Bomb.WhiteSpace(gzip: true);
        using var server = BombServer(bomb, "Content-Encoding: gzip", status: "503 Service Unavailable");
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 1));

        var error = await Expect.Throws<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(error.IsTransient, Is.True);
            Assert.That(error.Attempts, Is.EqualTo(2), "a 503 is retried, whatever its body");
            Assert.That(error.ResponseExcerpt, Does.StartWith("{\"message\":\"SUCCESS\"").And.Length.LessThanOrEqualTo(201));
        });
    }

    [Test]
    public async Task A_gzip_bomb_as_the_login_answer_ends_as_a_login_failure([Values] ClientKind kind)
    {
        var bomb = Bomb.Create("""{"id_token":""", "        ", gzip: true);
        using var server = BombServer(bomb, "Content-Encoding: gzip");
        using var client = TestClient.Create(kind, Encoded.Options(server.Url, maxRetries: 2, login: true));

        var error = await Expect.ThrowsKindOf<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("login answer"));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(server.Logins, Is.EqualTo(1));
            Assert.That(server.Resources, Is.Zero);
            Assert.That(error.ToString(), Does.Not.Contain(AuthStub.Password));
        });
    }

    private static EncodingServer BombServer(Bomb bomb, string? header = null, string status = "200 OK") =>
        new(async (_, stream, stop) =>
        {
            await stream.WriteAsync(Wire.HeadToClose(status, header is null ? [] : [header]), stop);
            await bomb.SendAsync(stream, stop);
            return false;
        });

    private static void AssertTooLarge(LeafApiException error, EncodingServer server) =>
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Leaf answered with a body that went on past 128 MB, more than the SDK reads for a Sync Summary (128 MB, over half a million summaries); ask for less with the provider or leafUserId filter, and check what answers at BaseAddress."));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(error.IsTransient, Is.False);
            Assert.That(error.Attempts, Is.EqualTo(1));
            Assert.That(server.Resources, Is.EqualTo(1), "not retried: the next attempt would be sent the same");
            Assert.That(error.ResponseExcerpt, Does.StartWith("{\"message\":\"SUCCESS\",\"summaries\":["));
        });
}
