using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Leaf.Sdk.Benchmarks.Contenders;

/// <summary>
/// The three contenders, set up the way their users would set them up, over the same transport: (a) hand-written
/// <see cref="HttpClient"/> + source-generated System.Text.Json, (b) a plain Refit interface, (c) the SDK's
/// <see cref="IIntegrationsClient"/> from <c>AddLeafSdk</c>, with its whole pipeline (resilience, bearer token, parsing).
/// </summary>
public sealed class ContenderSet : IDisposable
{
    public const string Path = "/services/integrations/api/resources";

    /// <summary>The bearer token every contender sends.</summary>
    public const string Token = "benchmark-token";

    /// <summary>The base address of the in-memory contenders.</summary>
    public static readonly Uri InMemoryBaseAddress = new("https://api.withleaf.io");

    private readonly HttpClient _handWritten;
    private readonly HttpClient _refitHttp;
    private readonly IPlainRefitApi _refit;
    private readonly ServiceProvider _services;
    private readonly IIntegrationsClient _leaf;

    /// <param name="baseAddress">Where the requests go.</param>
    /// <param name="primary">
    /// The transport for every contender, or <see langword="null"/> for each one's default (a real socket handler):
    /// a new instance per contender.
    /// </param>
    private ContenderSet(Uri baseAddress, Func<HttpMessageHandler>? primary)
    {
        _handWritten = Client(baseAddress, primary);
        _refitHttp = Client(baseAddress, primary);

        // Refit's generated client with the context Refit's own docs recommend (reflection JSON is off by default).
        _refit = RestService.ForGenerated<IPlainRefitApi>(_refitHttp, BenchJsonContext.Default);

        _services = Sdk(baseAddress, primary);
        _leaf = _services.GetRequiredService<IIntegrationsClient>();
    }

    /// <summary>
    /// The SDK as contender (c) gets it: <c>AddLeafSdk</c> with the benchmark's address and token over
    /// <paramref name="primary"/> (or real sockets), then whatever <paramref name="configure"/> adds to the builder.
    /// </summary>
    public static ServiceProvider Sdk(Uri baseAddress, Func<HttpMessageHandler>? primary, Action<IHttpClientBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddLeafSdk(options =>
        {
            options.BaseAddress = baseAddress;
            options.AccessToken = Token;
        });
        if (primary is not null)
        {
            builder.ConfigurePrimaryHttpMessageHandler(primary);
        }

        configure?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    /// <summary>All three over an in-memory handler that answers with <paramref name="body"/>.</summary>
    public static ContenderSet InMemory(byte[] body) =>
        new(InMemoryBaseAddress, () => new CannedHandler(body));

    /// <summary>All three over real sockets to <paramref name="baseAddress"/>.</summary>
    public static ContenderSet Sockets(Uri baseAddress) => new(baseAddress, primary: null);

    /// <summary>(a) The floor: one line of hand-written HttpClient code.</summary>
    public async Task<int> HandWrittenAsync()
    {
        var envelope = await _handWritten.GetFromJsonAsync(Path, BenchJsonContext.Default.SummaryEnvelopeDto);
        return envelope?.Summaries?.Count ?? -1;
    }

    /// <summary>(b) What a user would pick instead of the SDK.</summary>
    public async Task<int> PlainRefitAsync()
    {
        var envelope = await _refit.GetResourcesAsync();
        return envelope.Summaries?.Count ?? -1;
    }

    /// <summary>(c) The SDK.</summary>
    public async Task<int> IntegrationsClientAsync()
    {
        var response = await _leaf.GetResourcesAsync();
        return response.Summaries.Count;
    }

    /// <summary>Fails loudly unless every contender reads <paramref name="expected"/> summaries.</summary>
    public async Task VerifyAsync(int expected)
    {
        foreach (var (name, call) in new (string, Func<Task<int>>)[]
                 {
                     ("hand-written HttpClient", HandWrittenAsync),
                     ("plain Refit", PlainRefitAsync),
                     ("IntegrationsClient", IntegrationsClientAsync),
                 })
        {
            var count = await call();
            if (count != expected)
            {
                throw new InvalidOperationException($"{name} read {count} summaries; expected {expected}.");
            }
        }
    }

    public void Dispose()
    {
        _handWritten.Dispose();
        _refitHttp.Dispose();
        _services.Dispose();
    }

    private static HttpClient Client(Uri baseAddress, Func<HttpMessageHandler>? primary)
    {
        var client = primary is null ? new HttpClient() : new HttpClient(primary());
        client.BaseAddress = baseAddress;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }
}
