using System.Net;

namespace Leaf.Sdk;

/// <summary>
/// Leaf refused the credentials (a 401 that a renewed token did not cure, a 401 to a fixed token, or a refused login),
/// the login's answer had no token, or the token is empty or has a character a bearer token cannot contain (then
/// nothing was sent).
/// </summary>
/// <remarks>Check the token, or the username and password, in <see cref="LeafClientOptions"/>, or your <see cref="ILeafTokenSource"/>.</remarks>
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
