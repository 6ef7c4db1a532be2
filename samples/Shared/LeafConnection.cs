using Leaf.Sdk;
using Leaf.Sdk.Testing;

namespace LeafSamples;

/// <summary>
/// Client options from the environment, or the embedded fake server when no credentials are set. Shared by the console
/// samples (linked into each project), so they connect and announce it the same way.
/// </summary>
internal static class LeafConnection
{
    /// <summary>Reads LEAF_TOKEN, LEAF_USERNAME, LEAF_PASSWORD and LEAF_BASE_ADDRESS; says on <paramref name="notes"/> what it connects to.</summary>
    public static (LeafClientOptions Options, FakeLeafServer? Fake) FromEnvironment(TextWriter notes)
    {
        var token = Environment.GetEnvironmentVariable("LEAF_TOKEN");
        var username = Environment.GetEnvironmentVariable("LEAF_USERNAME");
        var password = Environment.GetEnvironmentVariable("LEAF_PASSWORD");
        if (string.IsNullOrWhiteSpace(token) && string.IsNullOrWhiteSpace(username))
        {
            var fake = FakeLeafServer.Start();
            notes.WriteLine($"Using the embedded fake Leaf server at {fake.BaseAddress} with demo data (set LEAF_TOKEN, or LEAF_USERNAME and LEAF_PASSWORD, to call Leaf).");
            return (fake.CreateClientOptions(), fake);
        }

        var options = string.IsNullOrWhiteSpace(token)
            ? new LeafClientOptions { Username = username, Password = password }
            : new LeafClientOptions { AccessToken = token };
        if (Environment.GetEnvironmentVariable("LEAF_BASE_ADDRESS") is { Length: > 0 } address)
        {
            options.BaseAddress = new Uri(address, UriKind.Absolute);
        }

        // Scheme, host and path only: a password in the address (user:password@host) or a token in its query went to the
        // terminal, and to a CI log, before the client refused the address.
        notes.WriteLine($"Calling Leaf at {options.BaseAddress.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}");
        return (options, null);
    }
}
