using Leaf.Sdk.Testing;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round6Fake;

/// <summary>The journal as a user's test asserts on it: by comparing whole requests, and reading the failure message.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class FakeLeafRequestTests
{
    private static FakeLeafRequest Get(params (string Key, string Value)[] query) =>
        new("GET", FakeLeafServer.ResourcesPath, query.ToDictionary(q => q.Key, q => q.Value), true, 200);

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task The_journal_equals_the_requests_a_test_expects(ClientKind kind)
    {
        using var server = FakeLeafServer.Start();
        using var client = TestClient.Create(kind, server.CreateClientOptions());

        await client.Client.GetResourcesAsync(Provider.ClimateFieldView, DemoUsers.Healthy);
        await client.Client.GetResourcesAsync();

        // Before, no two requests were ever equal: the record compared its Query dictionary by reference.
        Assert.That(server.Requests, Is.EqualTo(new[]
        {
            Get(("provider", "ClimateFieldView"), ("leafUserId", DemoUsers.Healthy.ToString())),
            Get(),
        }));
    }

    [Test]
    public void Equality_compares_the_query_by_key_and_value_in_any_order()
    {
        var a = Get(("provider", "JohnDeere"), ("leafUserId", "x"));
        var b = Get(("leafUserId", "x"), ("provider", "JohnDeere"));

        Assert.Multiple(() =>
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a, Is.Not.EqualTo(Get(("provider", "johndeere"), ("leafUserId", "x"))), "values compare exactly");
            Assert.That(a, Is.Not.EqualTo(Get(("provider", "JohnDeere"))));
            Assert.That(a, Is.Not.EqualTo(Get(("provider", "JohnDeere"), ("leafUserId", "x"), ("extra", ""))));
            Assert.That(a, Is.Not.EqualTo(a with { StatusCode = 401 }));
            Assert.That(a, Is.Not.EqualTo(a with { HadBearerToken = false }));
            Assert.That(a, Is.Not.EqualTo(null));
        });
    }

    [Test]
    public void To_string_shows_the_query()
    {
        var text = Get(("provider", "JohnDeere"), ("leafUserId", "5b7d1f3e")).ToString();

        // Before: "Query = System.Collections.Generic.Dictionary`2[System.String,System.String]" in every failure message.
        Assert.That(text, Is.EqualTo("FakeLeafRequest { Method = GET, Path = /services/integrations/api/resources, Query = { provider = JohnDeere, leafUserId = 5b7d1f3e }, HadBearerToken = True, StatusCode = 200 }"));
    }

    [Test]
    public void To_string_of_a_request_without_query()
    {
        Assert.That(Get().ToString(), Does.Contain("Query = { }"));
    }
}
