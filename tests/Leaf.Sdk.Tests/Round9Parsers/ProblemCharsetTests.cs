using System.Net;
using Leaf.Sdk.Serialization;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Leaf.Sdk.Tests.Round9Parsers;

/// <summary>
/// A problem body that is not UTF-8 (a gateway writing Latin-1, say): System.Text.Json's reader tokenizes it, but
/// refuses to turn such a string into text with an InvalidOperationException, not the JsonException the problem reader
/// expected. That escaped and the call ended as "failed unexpectedly: InvalidOperationException", with no status.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProblemCharsetTests
{
    // "Zugriff verweigert" / "Bitte prüfen" with the ü as Latin-1 (0xFC): not UTF-8.
    private static readonly byte[] Latin1Problem =
        [.. "{\"title\":\"Zugriff verweigert\",\"detail\":\"Bitte pr"u8, 0xFC, .. "fen\",\"status\":403,\"errorKey\":\"error.denied\"}"u8];

    [Test]
    public void A_member_that_is_not_UTF8_costs_only_itself()
    {
        byte[] badName = [.. "{\"ti"u8, 0xFC, .. "tle\":\"x\",\"title\":\"Kept\",\"status\":\"4"u8, 0xFC, .. "\"}"u8];

        var problem = LeafProblemReader.TryRead(Latin1Problem);
        var other = LeafProblemReader.TryRead(badName);

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Title, Is.EqualTo("Zugriff verweigert"));
            Assert.That(problem?.Detail, Is.EqualTo("Bitte pr\uFFFDfen"), "decoded leniently, the one byte replaced");
            Assert.That(problem?.Status, Is.EqualTo(403));
            Assert.That(problem?.ErrorKey, Is.EqualTo("error.denied"));
            Assert.That(other?.Title, Is.EqualTo("Kept"));
            Assert.That(other?.Status, Is.Null);
        });
    }

    [Test]
    public void An_escaped_string_that_is_not_UTF8_is_left_out()
    {
        byte[] body = [.. "{\"title\":\"a\\u0041"u8, 0xFC, .. "\",\"status\":500}"u8];

        var problem = LeafProblemReader.TryRead(body);

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Title, Is.Null);
            Assert.That(problem?.Status, Is.EqualTo(500));
        });
    }

    [Test]
    public async Task A_Latin1_problem_on_the_Sync_Summary_keeps_its_status_and_title([Values] ClientKind kind)
    {
        var ex = await Stub.FailureAsync(kind, Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/problem+json").WithBody(Latin1Problem));

        Assert.Multiple(() =>
        {
            Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(ex.Message, Does.StartWith("Leaf answered 403 ").And.Contain("Zugriff verweigert"));
            Assert.That(ex.Problem?.ErrorKey, Is.EqualTo("error.denied"));
            Assert.That(ex.InnerException, Is.Null);
        });
    }

    [Test]
    public async Task A_Latin1_login_refusal_says_the_login_was_refused([Values] ClientKind kind)
    {
        using var server = Stub.Start();
        byte[] body = [.. "{\"title\":\"Ung"u8, 0xFC, .. "ltige Anmeldedaten\",\"status\":401}"u8];
        server.Given(Request.Create().WithPath("/api/authenticate").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/problem+json").WithBody(body));
        var options = Stub.Options(server);
        options.AccessToken = null;
        options.Username = "grower@example.com";
        options.Password = "correct-horse-battery";
        using var client = TestClient.Create(kind, options);

        var ex = await Assert.CatchAsync<LeafApiException>(() => client.Client.GetResourcesAsync());

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<LeafAuthenticationException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(ex.Message, Does.Contain("refused the login").And.Contain("Ung\uFFFDltige Anmeldedaten"));
            Assert.That(ex.ToString(), Does.Not.Contain("correct-horse-battery"));
        });
    }
}
