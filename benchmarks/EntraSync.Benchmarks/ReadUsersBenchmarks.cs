using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using EntraSync.Graph;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace EntraSync.Benchmarks;

/// <summary>
/// Reads 100,000 users three ways: this library's source (SDK pipeline, raw stream, System.Text.Json), the SDK's typed
/// models with PageIterator, and a plain HttpClient + JsonDocument floor. All three select the same properties and
/// use pages of 999. The pages come from the Graph emulator: recorded once in setup, then replayed from memory
/// (<see cref="Live"/> = false) so the client's own cost is measured, or fetched live from the emulator on loopback.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class ReadUsersBenchmarks
{
    /// <summary>The Xink default field set plus what email resolution reads.</summary>
    internal static readonly string[] Select =
    [
        "id", "displayName", "givenName", "surname", "mail", "businessPhones", "jobTitle", "department", "mobilePhone",
        "faxNumber", "companyName", "streetAddress", "city", "state", "postalCode", "country", "officeLocation",
        "proxyAddresses", "otherMails", "userPrincipalName",
    ];

    private GraphEmulator _emulator = null!;
    private GraphDirectorySource _source = null!;
    private GraphServiceClient _typed = null!;
    private HttpClient _http = null!;
    private DirectoryReadRequest _request = null!;

    [Params(100_000)]
    public int Users { get; set; }

    [Params(false, true)]
    public bool Live { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = Users, RequestLogCapacity = 0 });
        _request = Requests.Full(_emulator, Select);
        if (Live)
        {
            _source = new GraphDirectorySource(Options.Create(new GraphSourceOptions()), TimeProvider.System);
            _typed = _emulator.CreateGraphClient();
            _http = _emulator.CreateHttpClient();
            return;
        }

        // Record every page once through each client, then answer from memory.
        var pages = new RecordedPages();
        _source = Source(pages.Recorder);
        _typed = Typed(pages.Recorder());
        _http = new HttpClient(pages.Recorder());
        _http.DefaultRequestHeaders.Authorization = new("Bearer", _emulator.CreateAccessToken());
        await GraphSource();
        await TypedPageIterator();
        await RawJsonDocument();
        _source.Dispose();
        _http.Dispose();
        _source = Source(pages.Replayer);
        _typed = Typed(pages.Replayer());
        _http = new HttpClient(pages.Replayer());
    }

    private static GraphDirectorySource Source(Func<HttpMessageHandler> handler) =>
        new(Options.Create(new GraphSourceOptions { PrimaryHandlerFactory = handler }), TimeProvider.System);

    private GraphServiceClient Typed(HttpMessageHandler handler) =>
        new(GraphClientFactory.Create(finalHandler: handler), new Microsoft.Kiota.Abstractions.Authentication.BaseBearerTokenAuthenticationProvider(new StaticToken(_emulator.CreateAccessToken())), _emulator.GraphBaseUrl);

    private sealed class StaticToken(string token) : Microsoft.Kiota.Abstractions.Authentication.IAccessTokenProvider
    {
        public Microsoft.Kiota.Abstractions.Authentication.AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) => Task.FromResult(token);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _source.Dispose();
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Description = "EntraSync GraphDirectorySource")]
    public async Task<int> GraphSource()
    {
        var count = 0;
        await foreach (var page in _source.ReadUsersAsync(_request))
        {
            count += page.Users.Count;
        }

        return Check(count);
    }

    [Benchmark(Baseline = true, Description = "Microsoft.Graph typed models + PageIterator")]
    public async Task<int> TypedPageIterator()
    {
        var count = 0;
        var first = await _typed.Users.GetAsync(c =>
        {
            c.QueryParameters.Select = Select;
            c.QueryParameters.Top = 999;
        });
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(_typed, first!, user =>
        {
            count++;
            return true;
        });
        await iterator.IterateAsync();
        return Check(count);
    }

    [Benchmark(Description = "HttpClient + JsonDocument (floor)")]
    public async Task<int> RawJsonDocument()
    {
        var count = 0;
        string? url = _emulator.GraphBaseUrl + "/users?$select=" + string.Join(',', Select) + "&$top=999";
        while (url is not null)
        {
            using var response = await _http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var document = await JsonDocument.ParseAsync(stream);
            foreach (var user in document.RootElement.GetProperty("value").EnumerateArray())
            {
                if (user.TryGetProperty("id", out _))
                {
                    count++;
                }
            }

            url = document.RootElement.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        return Check(count);
    }

    private int Check(int count) => count == Users ? count : throw new InvalidOperationException($"Read {count} users, expected {Users}.");
}

/// <summary>
/// Measures the two ways a full read can also produce the delta link for the next incremental read:
/// <c>$deltatoken=latest</c> then <c>/users</c> (999 per page), against a whole <c>/users/delta</c> round (200 per page),
/// on loopback and with a per-request server latency like Graph's (the emulator waits that long before answering).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class FullReadStrategyBenchmarks
{
    private GraphEmulator _emulator = null!;
    private GraphDirectorySource _latestThenList = null!;
    private GraphDirectorySource _deltaRound = null!;
    private DirectoryReadRequest _request = null!;

    [Params(100_000)]
    public int Users { get; set; }

    [Params(0, 25)]
    public int LatencyMs { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = Users, RequestLogCapacity = 0 });
        _emulator.Faults.LatencyMs = LatencyMs;
        _latestThenList = new GraphDirectorySource(Options.Create(new GraphSourceOptions { FullReadStrategy = GraphFullReadStrategy.LatestDeltaTokenThenList }), TimeProvider.System);
        _deltaRound = new GraphDirectorySource(Options.Create(new GraphSourceOptions { FullReadStrategy = GraphFullReadStrategy.DeltaRound }), TimeProvider.System);
        _request = Requests.Full(_emulator, ReadUsersBenchmarks.Select);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _latestThenList.Dispose();
        _deltaRound.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "$deltatoken=latest, then /users")]
    public Task<int> LatestThenList() => ReadAsync(_latestThenList);

    [Benchmark(Description = "full /users/delta round")]
    public Task<int> DeltaRound() => ReadAsync(_deltaRound);

    private async Task<int> ReadAsync(GraphDirectorySource source)
    {
        var count = 0;
        DirectoryReadCompletion? completion = null;
        await foreach (var page in source.ReadUsersAsync(_request))
        {
            count += page.Users.Count;
            completion ??= page.Completion;
        }

        return count == Users && completion?.Checkpoint is not null ? count : throw new InvalidOperationException($"Read {count} users, expected {Users} and a delta link.");
    }
}

internal static class Requests
{
    public static DirectoryReadRequest Full(GraphEmulator emulator, string[] select)
    {
        var profile = new SyncProfile
        {
            TenantId = emulator.DefaultTenant.Id,
            Connection = new DirectoryConnectionOptions { GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken() },
        };
        return new DirectoryReadRequest
        {
            Context = new SyncContext { TenantId = profile.TenantId, RunId = "benchmark", Profile = profile },
            Mode = SyncMode.Full,
            Properties = select,
        };
    }
}
