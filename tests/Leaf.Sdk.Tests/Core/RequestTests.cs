using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Core;

/// <summary>What goes on the wire: path, method, headers and the query for every filter combination.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RequestTests
{
    private static readonly Guid UserId = Guid.Parse(LeafJson.UserId);

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_call_without_filters_is_a_GET_of_the_resources_path_with_no_query_at_all(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync();

        var request = server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo("/services/integrations/api/resources"));
            Assert.That(request.RawQuery, Is.Null.Or.Empty);
            Assert.That(request.Query ?? new Dictionary<string, WireMock.Types.WireMockList<string>>(), Is.Empty);
            Assert.That(request.Url, Does.Not.Contain("?"));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Every_request_carries_the_bearer_token_and_asks_for_json(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync();

        var request = server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("Authorization"), Is.EqualTo(new[] { "Bearer " + Stub.Token }));
            Assert.That(request.Header("Accept"), Is.EqualTo(new[] { "application/json" }));
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_provider_filter_alone_sends_only_the_provider_by_its_API_name(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync(Provider.CNHIFieldOps);

        var request = server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.RawQuery, Is.EqualTo("?provider=CNHIFieldOps").Or.EqualTo("provider=CNHIFieldOps"));
            Assert.That(request.QueryValues("provider"), Is.EqualTo(new[] { "CNHIFieldOps" }));
            Assert.That(request.QueryValues("leafUserId"), Is.Empty);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_user_filter_alone_sends_only_the_user_id_in_lower_case_canonical_form(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync(leafUserId: Guid.Parse("{7B6E2C8A-3F0D-4C1E-9A5B-2D8F4E6A1C3B}"));

        var request = server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.RawQuery, Is.EqualTo("?leafUserId=7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b").Or.EqualTo("leafUserId=7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b"));
            Assert.That(request.QueryValues("leafUserId"), Is.EqualTo(new[] { "7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b" }));
            Assert.That(request.QueryValues("provider"), Is.Empty);
        });
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task Both_filters_send_both_parameters_once_each(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync(Provider.ClimateFieldView, UserId);

        var request = server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.QueryValues("provider"), Is.EqualTo(new[] { "ClimateFieldView" }));
            Assert.That(request.QueryValues("leafUserId"), Is.EqualTo(new[] { LeafJson.UserId }));
            Assert.That(request.Query!.Keys, Is.EquivalentTo(new[] { "provider", "leafUserId" }));
            Assert.That(request.Path, Is.EqualTo(Stub.ResourcesPath));
        });
    }

    [Test]
    public async Task Every_known_provider_is_sent_by_its_API_name(
        [Values] ClientKind kind,
        [ValueSource(typeof(Providers), nameof(Providers.All))] ProviderInfo info)
    {
        using var server = Stub.Start();
        server.Resources(LeafJson.DocumentedExample);
        using var client = TestClient.Create(kind, Stub.Options(server));

        await client.Client.GetResourcesAsync(info.Provider);

        Assert.That(server.SingleRequest().QueryValues("provider"), Is.EqualTo(new[] { info.ApiName }));
    }

    [TestCase(ClientKind.Standalone)]
    [TestCase(ClientKind.DependencyInjection)]
    public async Task A_base_address_with_a_path_prefix_keeps_the_prefix(ClientKind kind)
    {
        using var server = Stub.Start();
        server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/leaf" + Stub.ResourcesPath).UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithHeader("Content-Type", "application/json").WithBody(LeafJson.DocumentedExample));
        var options = Stub.Options(server);
        options.BaseAddress = new Uri(server.Url + "/leaf/");
        using var client = TestClient.Create(kind, options);

        var response = await client.Client.GetResourcesAsync();

        Assert.That(server.SingleRequest().Path, Is.EqualTo("/leaf/services/integrations/api/resources"));
        Assert.That(response.Summaries, Has.Count.EqualTo(1));
    }
}
