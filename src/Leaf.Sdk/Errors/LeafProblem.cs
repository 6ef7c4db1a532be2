namespace Leaf.Sdk;

/// <summary>
/// The "problem" body Leaf sends with an error status. Every member may be missing.
/// </summary>
/// <param name="Type">A URI that names the kind of problem.</param>
/// <param name="Title">A short summary of the problem, e.g. <c>Unauthorized</c>.</param>
/// <param name="Status">The HTTP status code Leaf put in the body.</param>
/// <param name="Detail">A longer explanation, e.g. <c>Full authentication is required to access this resource</c>.</param>
/// <param name="Path">The path of the request that failed.</param>
/// <param name="Message">Leaf's message key, e.g. <c>error.http.401</c>.</param>
/// <param name="ErrorKey">Leaf's machine-readable error key, when it sends one.</param>
public sealed record LeafProblem(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Path,
    string? Message,
    string? ErrorKey);
