using System.Net;

namespace Leaf.Sdk;

/// <summary>
/// Leaf refused the credentials: a 401 that a fresh token did not cure, or a refused login.
/// </summary>
/// <remarks>Check the token, or the username and password, in <see cref="LeafClientOptions"/>.</remarks>
public sealed class LeafAuthenticationException : LeafApiException
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LeafAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LeafAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with every detail.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status of Leaf's answer.</param>
    /// <param name="problem">Leaf's parsed problem body, when there was one.</param>
    /// <param name="responseExcerpt">A short, redacted start of the response body.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="innerException">The cause.</param>
    public LeafAuthenticationException(
        string message,
        HttpStatusCode? statusCode,
        LeafProblem? problem = null,
        string? responseExcerpt = null,
        int attempts = 0,
        Exception? innerException = null)
        : base(message, statusCode, problem, responseExcerpt, isTransient: false, attempts, innerException)
    {
    }
}
