using System.Text.Json.Serialization;

namespace Leaf.Sdk.Authentication;

/// <summary>The body of <c>POST /api/authenticate</c>. Leaf expects <c>rememberMe</c> as a string.</summary>
internal sealed record LoginRequest(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("rememberMe")] string RememberMe)
{
    // Records print every member; this one carries a password.
    public override string ToString() => "LoginRequest { credentials redacted }";
}

/// <summary>The answer of a successful login.</summary>
internal sealed record LoginResponse([property: JsonPropertyName("id_token")] string? IdToken)
{
    public override string ToString() => "LoginResponse { token redacted }";
}
