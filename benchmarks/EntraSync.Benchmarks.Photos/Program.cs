// What photos cost: a full sync of a tenant where every user with a mailbox has a photo (4-10 KB JPEG), against the
// Graph emulator at a fixed latency per request, through the default Graph source (the real Microsoft.Graph client)
// into the in-memory store; then the same tenant again, unchanged, incrementally and in full. Run once per
// GraphSourceOptions.PhotoRequestsPerBatch value (1 = one GET per request, 20 = JSON batches), each on a fresh emulator
// and host, and printed side by side: requests by kind (from the emulator's request log), wall time, bytes received
// (response bodies, counted under the SDK pipeline), and the ratio of wall time to pages x latency (the user read's
// network time, the floor a run cannot beat).
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.Photos -- [--users 10000] [--latency-ms 100] [--batch 1,20] [--concurrency 4]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EntraSync;
using EntraSync.Graph;
using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var users = int.Parse(Option("users", "10000"), CultureInfo.InvariantCulture);
var latencyMs = int.Parse(Option("latency-ms", "100"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("concurrency", "4"), CultureInfo.InvariantCulture);
var batchSizes = Option("batch", "1,20").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

Console.WriteLine($"# Photos: {users:N0} users, {latencyMs} ms per request, Photos:MaxConcurrentRequests {concurrency}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("| requests per batch | run | wall | pages | x pages*latency | user pages | photo metadata GETs | photo $value GETs | $batch POSTs | all requests | bytes received | bytes sent | employees with their photo | warnings |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var perBatch in batchSizes)
{
    await RunAsync(perBatch);
}

Console.WriteLine();
Console.WriteLine($"load average after: {LoadAverage()}");

async Task RunAsync(int perBatch)
{
    await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = users, Seed = 42, RequestLogCapacity = 1_000_000 });
    var tenant = emulator.DefaultTenant;
    GivePhotos(tenant);
    emulator.Faults.LatencyMs = latencyMs;

    var profile = new SyncProfile
    {
        TenantId = tenant.Id,
        Connection = new DirectoryConnectionOptions { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
    };
    profile.Photos.Enabled = true;
    profile.Photos.Size = null;
    profile.Photos.MaxConcurrentRequests = concurrency;
    var traffic = new TrafficCounter { InnerHandler = new SocketsHttpHandler() };
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
    services.Configure<GraphSourceOptions>(o =>
    {
        o.PhotoRequestsPerBatch = perBatch;
        o.PrimaryHandlerFactory = () => traffic;
    });
    await using var provider = services.BuildServiceProvider();
    var sync = provider.GetRequiredService<IEntraUserSync>();
    var store = provider.GetRequiredService<InMemoryEmployeeStore>();
    foreach (var (name, mode) in new[] { ("first full sync", SyncMode.Full), ("rerun, incremental, no change", SyncMode.Incremental), ("rerun, full, no change", SyncMode.Full) })
    {
        emulator.ClearRequests();
        traffic.Reset();
        var clock = Stopwatch.StartNew();
        var report = await sync.SyncAsync(tenant.Id, new SyncRunOptions { Mode = mode });
        clock.Stop();
        if (report.Outcome != SyncOutcome.Succeeded)
        {
            throw new InvalidOperationException($"{name}: {report.Outcome}: {string.Join("; ", report.Errors)}");
        }

        var requests = emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0/", StringComparison.Ordinal)).ToList();
        int Count(Func<EmulatorRequest, bool> kind) => requests.Count(kind);
        var value = Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/$value", StringComparison.Ordinal));
        var metadata = Count(r => r.Method == "GET" && (r.PathAndQuery.Contains("/photo", StringComparison.Ordinal)) && !r.PathAndQuery.Contains("/$value", StringComparison.Ordinal));
        var batches = Count(r => r.Method == "POST" && r.PathAndQuery == "/v1.0/$batch");
        var pages = Count(r => r.Method == "GET" && (r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal) || r.PathAndQuery.StartsWith("/v1.0/users/delta", StringComparison.Ordinal)));
        var employees = store.GetEmployees(tenant.Id).Where(e => e.IsActive).ToList();
        var stored = employees.Count(e => e.Photo is { Length: > 0 });
        var expected = employees.Count(e => e.DirectoryId is { } id && tenant.GetPhotoETag(id) is not null);
        var floor = pages * latencyMs / 1000.0;
        Console.WriteLine(
            $"| {perBatch} | {name} | {clock.Elapsed.TotalSeconds:0.0} s | {pages} | {(floor > 0 ? (clock.Elapsed.TotalSeconds / floor).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-")} | {pages} | {metadata:N0} | {value:N0} | {batches:N0} | {requests.Count:N0} | {Bytes(traffic.Received)} | {Bytes(traffic.Sent)} | {stored:N0} of {expected:N0} | {report.Warnings.Count} |");
    }
}

// Every user with a mailbox gets a photo of 4-10 KB (a valid JPEG padded with a comment segment), so the ETag and the
// bytes differ per user.
static void GivePhotos(EmulatedTenant tenant)
{
    var sample = TenantGenerator.SamplePhoto();
    var random = new Random(7);
    foreach (var user in tenant.GetUsers())
    {
        if (user.Mail is null)
        {
            continue;
        }

        var size = random.Next(4 * 1024, 10 * 1024 + 1);
        var padding = Math.Min(size - sample.Length, 65_000);
        var jpeg = new byte[sample.Length + 4 + padding];
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        jpeg[2] = 0xFF;
        jpeg[3] = 0xFE;
        jpeg[4] = (byte)((padding + 2) >> 8);
        jpeg[5] = (byte)((padding + 2) & 0xFF);
        var text = Encoding.ASCII.GetBytes(user.Id);
        random.NextBytes(jpeg.AsSpan(6, padding - 2));
        text.CopyTo(jpeg.AsSpan(6));
        sample.AsSpan(2).CopyTo(jpeg.AsSpan(4 + padding + 2));
        tenant.SetPhoto(user.Id, jpeg, 240, 240);
    }
}

static string Bytes(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.0} MiB" : $"{bytes / 1024.0:0.0} KiB";

static string LoadAverage()
{
    try
    {
        return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
}

/// <summary>Counts request and response body bytes at the bottom of the Graph client's pipeline (what crosses the wire, bodies only).</summary>
internal sealed class TrafficCounter : DelegatingHandler
{
    private long _received;
    private long _sent;

    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    public void Reset()
    {
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _sent, 0);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content?.Headers.ContentLength is { } length)
        {
            Interlocked.Add(ref _sent, length);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength is { } received)
        {
            Interlocked.Add(ref _received, received);
        }

        return response;
    }
}
