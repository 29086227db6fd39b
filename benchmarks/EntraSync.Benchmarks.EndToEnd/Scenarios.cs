using System.Globalization;
using EntraSync.Testing.Emulator;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>One measured run, as printed and written to JSON.</summary>
internal sealed record Row
{
    public required string Scenario { get; init; }

    public required string System { get; init; }

    public required string Store { get; init; }

    public int Users { get; init; }

    public int LatencyMs { get; init; }

    public required Cost Cost { get; init; }

    public int GraphRequests { get; init; }

    public int Throttled { get; init; }

    public int StoreFinds { get; init; }

    public int StoreBatches { get; init; }

    public int EmployeesWritten { get; init; }

    public int SqlStatements { get; init; }

    public int SqlEmployeeWrites { get; init; }

    public int Read { get; init; }

    public string Outcome { get; init; } = "";

    public bool Failed { get; init; }

    public List<string> Notes { get; init; } = [];
}

internal sealed class Scenarios(Settings settings)
{
    private const string WarmupTenant = "0000000a-0000-0000-0000-00000000beef";
    private int _warmups;

    /// <summary>Gives 1% of the tenant's users a new job title and deletes 0.1% (the incremental scenario's change).</summary>
    private static (int Changed, int Deleted) ChangeSome(EmulatedTenant tenant, string tag)
    {
        var users = tenant.GetUsers();
        var changed = 0;
        var deleted = 0;
        for (var i = 0; i < users.Count; i += 100)
        {
            tenant.UpdateUser(users[i].Id, u => u.JobTitle = $"{tag} {u.JobTitle}");
            changed++;
        }

        for (var i = 50; i < users.Count; i += 1_000)
        {
            tenant.DeleteUser(users[i].Id);
            deleted++;
        }

        return (changed, deleted);
    }

    /// <summary>Starts the emulator with the tenant (and a small warm-up tenant so JIT is not measured).</summary>
    private async Task<GraphEmulator> StartEmulatorAsync()
    {
        var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            DefaultTenantUserCount = settings.Users,
            Seed = 42,
            RequestLogCapacity = 1_000_000,
        });
        if (settings.Warmup)
        {
            emulator.AddTenant(WarmupTenant, t => t.UserCount = settings.WarmupUsers);
        }

        return emulator;
    }

    private async Task WarmUpAsync(GraphEmulator emulator, StoreKind store, bool baseline)
    {
        if (!settings.Warmup)
        {
            return;
        }

        var latency = emulator.Faults.LatencyMs;
        emulator.Faults.LatencyMs = 0;
        var tenant = emulator.GetTenant(WarmupTenant);
        if (baseline)
        {
            await using var system = await BaselineSystem.CreateAsync(emulator, tenant, store);
            await system.Sync.RunAsync(DateTimeOffset.UnixEpoch);
            ChangeSome(tenant, $"warm-up {++_warmups}");
            await system.Sync.RunAsync(DateTimeOffset.UnixEpoch);
        }
        else
        {
            // Full, incremental with changes and deletions, incremental without: every path a measured run takes is
            // compiled before it is measured.
            await using var system = await EntraSyncSystem.CreateAsync(emulator, tenant, store);
            await system.Sync.SyncAsync(system.TenantId, new SyncRunOptions { Mode = SyncMode.Full });
            ChangeSome(tenant, $"warm-up {++_warmups}");
            await system.Sync.SyncAsync(system.TenantId, new SyncRunOptions { Mode = SyncMode.Incremental });
            await system.Sync.SyncAsync(system.TenantId, new SyncRunOptions { Mode = SyncMode.Incremental });
        }

        emulator.Faults.LatencyMs = latency;
    }

    public async Task<List<Row>> FullAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: false);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var system = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        var (row, _) = await MeasureAsync(emulator, system, "full sync", SyncMode.Full);
        row = WithNetworkFloor(row);

        // What the emulator and loopback alone cost (at this latency): the run's own requests, replayed one after
        // another with a bare HttpClient that reads each body to the end and parses nothing.
        row.Notes.Add(Gaps(emulator));
        var replay = await ReplayAsync(emulator);
        row.Notes.Add($"wall time is {row.Cost.WallSeconds / replay.Cost.WallSeconds - 1:+0.0%;-0.0%} over the bare HTTP replay of the same requests");
        return [row, replay];
    }

    /// <summary>The emulator's log of Graph calls (<c>/v1.0/...</c>), without its token endpoint.</summary>
    private static List<EmulatorRequest> GraphRequests(GraphEmulator emulator) =>
        [.. emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal))];

    /// <summary>The time between one Graph request's arrival at the emulator and the next one's: latency plus whatever the client does in between.</summary>
    private static string Gaps(GraphEmulator emulator)
    {
        var arrivals = GraphRequests(emulator).Select(r => r.Timestamp).ToList();
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => (b - a).TotalMilliseconds).Order().ToList();
        return gaps.Count == 0
            ? "one request"
            : $"request-to-request gaps at the emulator: median {gaps[gaps.Count / 2]:0.0} ms, 90th percentile {gaps[gaps.Count * 9 / 10]:0.0} ms, longest {gaps[^1]:0.0} ms";
    }

    private async Task<Row> ReplayAsync(GraphEmulator emulator)
    {
        var requests = GraphRequests(emulator)
            .Select(r => (r.PathAndQuery, Consistency: r.Headers.GetValueOrDefault("ConsistencyLevel")))
            .ToList();
        using var http = emulator.CreateHttpClient();
        emulator.ClearRequests();
        var (bytes, cost) = await Measurement.MeasureAsync(async () =>
        {
            long total = 0;
            var buffer = new byte[81_920];
            foreach (var (path, consistency) in requests)
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, path);
                if (consistency is not null)
                {
                    message.Headers.Add("ConsistencyLevel", consistency);
                }

                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    total += read;
                }
            }

            return total;
        });
        var gaps = Gaps(emulator);
        var row = WithNetworkFloor(new Row
        {
            Scenario = "bare HTTP replay of the same requests (the floor)",
            System = "HttpClient",
            Store = "-",
            Users = settings.Users,
            LatencyMs = emulator.Faults.LatencyMs,
            Cost = cost,
            GraphRequests = GraphRequests(emulator).Count,
            Outcome = $"{bytes / 1e6:N1} MB of response bodies",
        });
        row.Notes.Add(gaps);
        return row;
    }

    public async Task<List<Row>> BaselineAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: true);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var system = await BaselineSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        return [WithNetworkFloor(await MeasureAsync(emulator, system, "full sync"))];
    }

    public async Task<List<Row>> CompareAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: false);
        await WarmUpAsync(emulator, settings.Store, baseline: true);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var entraSync = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        var (ours, _) = await MeasureAsync(emulator, entraSync, "full sync", SyncMode.Full);
        ours = WithNetworkFloor(ours);
        Row? replay = null;
        if (settings.LatencyMs > 0)
        {
            ours.Notes.Add(Gaps(emulator));
            replay = await ReplayAsync(emulator);
            ours.Notes.Add($"wall time is {ours.Cost.WallSeconds / replay.Cost.WallSeconds - 1:+0.0%;-0.0%} over the bare HTTP replay of the same requests");
        }

        await using var baseline = await BaselineSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        var theirs = await MeasureAsync(emulator, baseline, "full sync");
        theirs = WithNetworkFloor(theirs);
        if (settings.LatencyMs > 0)
        {
            theirs.Notes.Add(Gaps(emulator));
        }

        ours.Notes.Add(Ratios(ours, theirs));
        return replay is null ? [ours, theirs] : [ours, theirs, replay];
    }

    public async Task<List<Row>> RerunAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: false);
        await WarmUpAsync(emulator, settings.Store, baseline: true);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var entraSync = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        await using var baseline = await BaselineSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        var (first, _) = await MeasureAsync(emulator, entraSync, "full sync", SyncMode.Full);
        var baselineFirst = await MeasureAsync(emulator, baseline, "full sync");
        var (full, _) = await MeasureAsync(emulator, entraSync, "full rerun, no changes", SyncMode.Full);
        var (incremental, _) = await MeasureAsync(emulator, entraSync, "incremental rerun, no changes", SyncMode.Incremental);
        var baselineRerun = await MeasureAsync(emulator, baseline, "full reload, no changes");
        foreach (var row in (Row[])[full, incremental, baselineRerun])
        {
            row.Notes.Add(row.EmployeesWritten == 0 && row.SqlEmployeeWrites == 0
                ? "no store writes (met)"
                : $"NOT MET: {row.EmployeesWritten} employees written, {row.SqlEmployeeWrites} SQL writes");
        }

        incremental.Notes.Add($"{baselineRerun.Cost.WallSeconds / incremental.Cost.WallSeconds:0.#}x less wall time than the baseline's reload, {full.Cost.WallSeconds / incremental.Cost.WallSeconds:0.#}x less than EntraSync's full rerun");
        return [first, baselineFirst, full, incremental, baselineRerun with { Failed = baselineRerun.Failed }];
    }

    public async Task<List<Row>> IncrementalAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: false);
        await WarmUpAsync(emulator, settings.Store, baseline: true);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        var tenant = emulator.DefaultTenant;
        await using var entraSync = await EntraSyncSystem.CreateAsync(emulator, tenant, settings.Store);
        await using var baseline = await BaselineSystem.CreateAsync(emulator, tenant, settings.Store);
        var (full, _) = await MeasureAsync(emulator, entraSync, "full sync", SyncMode.Full);
        var baselineFull = await MeasureAsync(emulator, baseline, "full sync");

        var (changed, deleted) = ChangeSome(tenant, "Changed");

        var (incremental, report) = await MeasureAsync(emulator, entraSync, $"incremental: {changed:N0} changed (1%), {deleted:N0} deleted (0.1%)", SyncMode.Incremental);

        // What the delta pages alone cost the emulator and loopback (Graph's side of the run).
        var deltaReplay = await ReplayAsync(emulator);
        var baselineReload = await MeasureAsync(emulator, baseline, $"full reload: {changed:N0} changed, {deleted:N0} deleted");
        incremental.Notes.Add($"{report.Counts.Updated:N0} updated, {report.Counts.Deactivated:N0} deactivated, {report.Counts.Staged:N0} staged (users skipped at the full sync for missing mandatory fields are not linked, so their changes write nothing)");
        var ratio = full.Cost.WallSeconds / incremental.Cost.WallSeconds;
        incremental.Notes.Add($"{ratio:0.#}x less wall time than EntraSync's full sync ({(ratio >= 50 ? "met" : "NOT MET")}: target 50x); {baselineReload.Cost.WallSeconds / incremental.Cost.WallSeconds:0.#}x less than the baseline's full reload; {full.Cost.AllocatedBytes / (double)incremental.Cost.AllocatedBytes:0.#}x fewer bytes allocated than the full sync");
        incremental.Notes.Add($"the bare HTTP replay of its {deltaReplay.GraphRequests} delta requests takes {deltaReplay.Cost.WallSeconds * 1000:0.0} ms of it");
        return [full, baselineFull, incremental, baselineReload, deltaReplay];
    }

    public async Task<List<Row>> ThrottleAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, settings.Store, baseline: false);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        emulator.Faults.Status = 429;
        emulator.Faults.Rate = settings.Rate;
        emulator.Faults.RetryAfterSeconds = settings.RetryAfterSeconds;
        await using var system = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, settings.Store);
        var (row, report) = await MeasureAsync(emulator, system, $"throttle storm: {settings.Rate:P0} of requests 429, Retry-After {settings.RetryAfterSeconds:0.###} s", SyncMode.Full);
        var log = GraphRequests(emulator);
        var early = 0;
        var unanswered = 0;
        var minimumGap = TimeSpan.MaxValue;
        var throttled = 0;
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i].StatusCode != 429)
            {
                continue;
            }

            throttled++;
            var retry = log.Skip(i + 1).FirstOrDefault(r => r.Method == log[i].Method && r.PathAndQuery == log[i].PathAndQuery);
            if (retry is null)
            {
                unanswered++;
                continue;
            }

            var gap = retry.Timestamp - log[i].Timestamp;
            minimumGap = gap < minimumGap ? gap : minimumGap;
            if (gap < TimeSpan.FromSeconds(settings.RetryAfterSeconds))
            {
                early++;
            }
        }

        var everyone = report.Outcome == SyncOutcome.Succeeded && report.IsReadComplete && report.Counts.Read == settings.Users
            && report.Counts.Created + report.Counts.Skipped == settings.Users;
        var stored = system.StoredCount;
        row.Notes.Add($"{throttled} of {log.Count} requests answered 429; {early} retried before Retry-After elapsed, {unanswered} never retried; shortest gap between a 429 and its retry {(throttled == 0 ? "n/a" : minimumGap.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s")} (Retry-After {settings.RetryAfterSeconds:0.###} s) ({(early == 0 && unanswered == 0 && throttled > 0 ? "met" : "NOT MET")})");
        row.Notes.Add($"every user synced: {report.Counts.Read:N0} read of {settings.Users:N0}, {report.Counts.Created:N0} created, {report.Counts.Skipped:N0} skipped for missing mandatory fields{(stored is null ? "" : $", {stored:N0} in the store")} ({(everyone && (stored is null || stored == report.Counts.Created) ? "met" : "NOT MET")})");
        return [row with { Throttled = throttled, Failed = row.Failed || early > 0 || unanswered > 0 || !everyone }];
    }

    /// <summary>
    /// Where the SQLite store's time goes: EntraSync's full sync into SQLite and into the in-memory store in the same
    /// process (the difference is the store's), then <see cref="SqliteFloor"/> on the rows the SQLite sync wrote.
    /// </summary>
    public async Task<List<Row>> FloorAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, StoreKind.Sqlite, baseline: false);
        await WarmUpAsync(emulator, StoreKind.Memory, baseline: false);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var sqlite = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, StoreKind.Sqlite);
        var (ours, report) = await MeasureAsync(emulator, sqlite, "full sync", SyncMode.Full);
        ours = ours with { Store = "sqlite" };
        await using var memory = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, StoreKind.Memory);
        var (inMemory, _) = await MeasureAsync(emulator, memory, "full sync", SyncMode.Full);
        inMemory = inMemory with { Store = "memory" };
        var created = Math.Max(1, report.Counts.Created);
        var perBatch = (int)Math.Ceiling(ours.EmployeesWritten / (double)Math.Max(1, ours.StoreBatches));
        var floors = await SqliteFloor.RunAsync(sqlite.SqliteFile!, "SyncedEmployees", settings.Users, perBatch);
        ours.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"the SQLite store costs {(ours.Cost.CpuSeconds - inMemory.Cost.CpuSeconds) / created * 1e6:0.0} µs of CPU and {(ours.Cost.WallSeconds - inMemory.Cost.WallSeconds) / created * 1e6:0.0} µs of wall time per created employee over the in-memory store in this process; the raw INSERT floor (below) costs {floors[0].Cost.CpuSeconds / created * 1e6:0.0} µs CPU per row into the same kind of file, {floors[^1].Cost.CpuSeconds / created * 1e6:0.0} µs in memory"));
        return [ours, inMemory, .. floors];
    }

    public async Task<List<Row>> MemoryAsync()
    {
        await using var emulator = await StartEmulatorAsync();
        await WarmUpAsync(emulator, StoreKind.Discard, baseline: false);
        emulator.Faults.LatencyMs = settings.LatencyMs;
        await using var system = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, StoreKind.Discard);
        var (row, _) = await MeasureAsync(emulator, system, "full sync, store keeps nobody (engine + source only)", SyncMode.Full);
        row.Notes.Add($"peak heap growth {row.Cost.PeakHeapGrowthBytes / (double)settings.Users:0} bytes per user (including the fixed base; compare sizes for the slope)");

        // Again with a second system (its own empty state, so again a full sync), measuring the live heap at the
        // first page and at the end of the read: the forced full collections cost this run time, so its wall time
        // is not comparable.
        var probe = new LiveHeapProbe();
        await using var again = await EntraSyncSystem.CreateAsync(emulator, emulator.DefaultTenant, StoreKind.Discard, probe);
        var (live, _) = await MeasureAsync(emulator, again, "full sync, store keeps nobody, live heap at the first page and the end of the read", SyncMode.Full);
        live = live with { Cost = live.Cost with { LiveHeapGrowthBytes = probe.Growth } };
        live.Notes.Add($"live heap at the end of the read is {probe.Growth / 1048576.0:0.0} MB above the first page's: {probe.Growth / (double)settings.Users:0} bytes per user");
        return [row, live];
    }

    private async Task<(Row Row, SyncReport Report)> MeasureAsync(GraphEmulator emulator, EntraSyncSystem system, string scenario, SyncMode mode)
    {
        system.Counts.Reset();
        emulator.ClearRequests();
        var (report, cost) = await Measurement.MeasureAsync(() => system.Sync.SyncAsync(system.TenantId, new SyncRunOptions { Mode = mode }));
        var requests = GraphRequests(emulator).Count;
        var failed = report.Outcome != SyncOutcome.Succeeded;
        var row = new Row
        {
            Scenario = scenario,
            System = "EntraSync",
            Store = settings.Store.ToString().ToLowerInvariant(),
            Users = settings.Users,
            LatencyMs = emulator.Faults.LatencyMs,
            Cost = cost,
            GraphRequests = requests,
            StoreFinds = system.Counts.Finds,
            StoreBatches = system.Counts.Batches,
            EmployeesWritten = system.Counts.Changes,
            SqlStatements = system.Counts.SqlStatements,
            SqlEmployeeWrites = system.Counts.SqlWrites,
            Read = report.Counts.Read,
            Outcome = $"{report.Outcome}, {report.Mode}: {report.Counts.Created:N0} created, {report.Counts.Updated:N0} updated, {report.Counts.Unchanged:N0} unchanged, {report.Counts.Deactivated:N0} deactivated, {report.Counts.Skipped:N0} skipped",
            Failed = failed,
        };
        if (failed)
        {
            row.Notes.Add("FAILED: " + string.Join(" ", report.Errors));
        }

        return (row, report);
    }

    private async Task<Row> MeasureAsync(GraphEmulator emulator, BaselineSystem system, string scenario)
    {
        system.Counts.Reset();
        emulator.ClearRequests();
        var (report, cost) = await Measurement.MeasureAsync(() => system.Sync.RunAsync(emulator.TimeProvider.GetUtcNow()));
        var requests = GraphRequests(emulator).Count;
        return new Row
        {
            Scenario = scenario,
            System = "baseline (typed SDK + EF Core)",
            Store = settings.Store == StoreKind.Memory ? "memory (SQLite in-memory)" : settings.Store.ToString().ToLowerInvariant(),
            Users = settings.Users,
            LatencyMs = emulator.Faults.LatencyMs,
            Cost = cost,
            GraphRequests = requests,
            StoreFinds = system.Counts.Finds,
            StoreBatches = system.Counts.Batches,
            EmployeesWritten = system.Counts.Changes,
            SqlStatements = system.Counts.SqlStatements,
            SqlEmployeeWrites = system.Counts.SqlWrites,
            Read = report.Read,
            Outcome = $"{report.Read:N0} read, {report.Written:N0} rows written, {report.Deactivated:N0} deactivated, {report.Skipped:N0} skipped",
        };
    }

    private static Row WithNetworkFloor(Row row)
    {
        if (row.LatencyMs > 0)
        {
            var floor = row.GraphRequests * row.LatencyMs / 1000.0;
            var over = row.Cost.WallSeconds / floor - 1;
            row.Notes.Add($"network time {row.GraphRequests} requests x {row.LatencyMs} ms = {floor:0.00} s; wall time is {over:+0.0%;-0.0%} over it");
        }

        return row;
    }

    private static string Ratios(Row ours, Row theirs) =>
        $"against the baseline: {theirs.Cost.WallSeconds / ours.Cost.WallSeconds:0.#}x less wall time, {theirs.Cost.CpuSeconds / ours.Cost.CpuSeconds:0.#}x less CPU, " +
        $"{theirs.Cost.AllocatedBytes / (double)ours.Cost.AllocatedBytes:0.#}x fewer bytes allocated, {theirs.Cost.PeakHeapGrowthBytes / (double)ours.Cost.PeakHeapGrowthBytes:0.#}x less peak heap growth";
}
