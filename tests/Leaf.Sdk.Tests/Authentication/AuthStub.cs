using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Leaf.Sdk.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Leaf.Sdk.Tests.Authentication;

/// <summary>WireMock shortcuts for the login: tokens of a chosen shape, refusals, and what the client sent.</summary>
internal static class AuthStub
{
    public const string LoginPath = "/api/authenticate";
    public const string Username = "owner@agtech.example";
    public const string Password = "s3cret-Pa55word!";

    /// <summary>A JWT-shaped token expiring at <paramref name="expiresAt"/>; <paramref name="salt"/> makes it unique.</summary>
    public static string Jwt(DateTimeOffset expiresAt, string salt = "a")
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $$"""{"sub":"{{Username}}","exp":{{expiresAt.ToUnixTimeSeconds()}}}""")));
        return $"{header}.{payload}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("signature-" + salt))}";
    }

    /// <summary>Options that log in at <paramref name="server"/> with <see cref="Username"/> and <see cref="Password"/>.</summary>
    public static LeafClientOptions LoginOptions(WireMockServer server, int maxRetries = 0)
    {
        var options = Stub.Options(server, maxRetries);
        options.AccessToken = null;
        options.Username = Username;
        options.Password = Password;
        return options;
    }

    /// <summary>The login answers <paramref name="status"/> with <paramref name="body"/>.</summary>
    public static void Login(this WireMockServer server, int status, string body, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (delay is { } wait)
        {
            response = response.WithDelay(wait);
        }

        server.Given(Request.Create().WithPath(LoginPath).UsingPost()).RespondWith(response);
    }

    /// <summary>The login hands out <paramref name="token"/>.</summary>
    public static void LoginIssues(this WireMockServer server, string token, TimeSpan? delay = null) =>
        server.Login(200, JsonSerializer.Serialize(new Dictionary<string, string> { ["id_token"] = token }), delay);

    /// <summary>A problem body as Leaf's JHipster backend writes it.</summary>
    public static string Problem(int status, string title, string detail) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = "https://www.jhipster.tech/problem/problem-with-message",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["path"] = LoginPath,
            ["message"] = $"error.http.{status}",
        });

    public static int LoginRequests(this WireMockServer server) =>
        server.LogEntries.Count(e => e.RequestMessage?.Path == LoginPath);

    public static int ResourceRequests(this WireMockServer server) =>
        server.LogEntries.Count(e => e.RequestMessage?.Path == Stub.ResourcesPath);

    /// <summary>The Authorization header of every Sync Summary request, in arrival order (null when absent).</summary>
    public static IReadOnlyList<string?> ResourceAuthorizations(this WireMockServer server) =>
        [.. server.LogEntries
            .Select(e => e.RequestMessage)
            .OfType<WireMock.IRequestMessage>()
            .Where(r => r.Path == Stub.ResourcesPath)
            .OrderBy(r => r.DateTime)
            .Select(r => r.Headers is { } h && h.TryGetValue("Authorization", out var v) ? v.FirstOrDefault() : null)];
}
