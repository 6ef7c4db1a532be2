namespace Leaf.Sdk.Resilience;

/// <summary>
/// The parts of the Leaf pipeline (<see cref="LeafResiliencePipelineFactory"/>). The SDK always builds all of them; the
/// benchmarks leave some out to measure what each one costs.
/// </summary>
[Flags]
internal enum LeafPipelineParts
{
    None = 0,
    TotalTimeout = 1,
    Retry = 2,
    CircuitBreaker = 4,
    AttemptTimeout = 8,
    Telemetry = 16,
    All = TotalTimeout | Retry | CircuitBreaker | AttemptTimeout | Telemetry,
}
