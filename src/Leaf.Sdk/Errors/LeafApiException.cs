using System.Net;
using System.Text;

namespace Leaf.Sdk;

/// <summary>
/// Any failure of a Leaf call other than the caller's own cancellation: an error status, an unreadable response,
/// a network failure, a time-out or an open circuit.
/// </summary>
/// <remarks>
/// The message is one line a support engineer can act on. It never contains the access token or the password;
/// <see cref="ResponseExcerpt"/> is a short, redacted start of the response body.
/// </remarks>
public class LeafApiException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LeafApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LeafApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with every detail.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status of Leaf's answer, or <see langword="null"/> when none arrived.</param>
    /// <param name="problem">Leaf's parsed problem body, when there was one.</param>
    /// <param name="responseExcerpt">A short, redacted start of the response body.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    /// <param name="attempts">How many HTTP attempts were made.</param>
    /// <param name="innerException">The cause.</param>
    public LeafApiException(
        string message,
        HttpStatusCode? statusCode,
        LeafProblem? problem = null,
        string? responseExcerpt = null,
        bool isTransient = false,
        int attempts = 0,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Problem = problem;
        ResponseExcerpt = responseExcerpt;
        IsTransient = isTransient;
        Attempts = attempts;
    }

    /// <summary>The HTTP status of Leaf's last answer, or <see langword="null"/> when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Leaf's problem body (title, detail, error key, ...), when the answer had one.</summary>
    public LeafProblem? Problem { get; }

    /// <summary>The start of the response body (at most a few hundred characters, secrets redacted), when there was one.</summary>
    public string? ResponseExcerpt { get; }

    /// <summary>
    /// Whether the failure is of a kind that may pass (network errors, time-outs, an open circuit, 408, 429, 500, 502,
    /// 503, 504). The SDK has already retried such failures as far as its options allow. A server certificate .NET
    /// refused, or a proxy's 407, is not transient: the next attempt would meet it again.
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>How many HTTP attempts the SDK made before giving up (0 when none was made).</summary>
    public int Attempts { get; }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder(base.ToString());
        if (StatusCode is { } status)
        {
            text.Append("\nStatus: ").Append((int)status).Append(' ').Append(status);
        }

        if (Attempts > 0)
        {
            text.Append("\nAttempts: ").Append(Attempts);
        }

        if (ResponseExcerpt is { Length: > 0 })
        {
            text.Append("\nResponse: ").Append(ResponseExcerpt);
        }

        return text.ToString();
    }
}
