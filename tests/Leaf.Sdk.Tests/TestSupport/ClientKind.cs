namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>The two ways users build a client; suites that must hold for both take this as a parameter.</summary>
public enum ClientKind
{
    Standalone,
    DependencyInjection,
}
