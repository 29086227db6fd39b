using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EntraSync.Scheduling.Internal;
using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Tests.Operations;

/// <summary>
/// Many tenants, an in-memory directory with knobs (faults, gates, concurrency counts), in-memory stores that can
/// outlive one host (for restarts), the engine and the scheduler wired as a host wires them, on a fake clock.
/// </summary>
internal sealed class OperationsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private bool _started;

    public OperationsHarness(
        Action<EntraSyncSchedulerOptions>? scheduler = null,
        Action<IEntraSyncBuilder>? builder = null,
        Shared? shared = null,
        bool addScheduler = true)
    {
        World = shared ?? new Shared();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(World.Time);
        services.AddSingleton(World.Store);
        services.AddSingleton(World.State);
        services.AddMetrics();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        var sync = services.AddEntraUserSync().AddInMemoryStores();
        services.Replace(ServiceDescriptor.Singleton<ISyncProfileProvider>(World.Profiles));
        services.Replace(ServiceDescriptor.Singleton<IDirectorySource>(World.Directory));
        if (addScheduler)
        {
            sync.AddScheduler(o =>
            {
                o.Jitter = TimeSpan.Zero;
                o.PollInterval = TimeSpan.FromMinutes(1);
                o.ProfileRefreshInterval = TimeSpan.FromMinutes(5);
                scheduler?.Invoke(o);
            });
        }

        builder?.Invoke(sync);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Sync = _provider.GetRequiredService<IEntraUserSync>();
        Logs = _provider.GetRequiredService<FakeLogCollector>();
    }

    public Shared World { get; }

    public FakeTimeProvider Time => World.Time;

    public ControlledDirectory Directory => World.Directory;

    public InMemoryEmployeeStore Store => World.Store;

    public InMemorySyncStateStore State => World.State;

    public TestProfiles Profiles => World.Profiles;

    public IEntraUserSync Sync { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _provider;

    public SyncScheduler Scheduler => _provider.GetRequiredService<SyncScheduler>();

    /// <summary>Adds a tenant with <paramref name="users"/> users and a profile.</summary>
    public SyncProfile AddTenant(string tenantId, int users = 3, Action<SyncProfile>? configure = null)
    {
        var profile = new SyncProfile { TenantId = tenantId };
        profile.Schedule.Interval = TimeSpan.FromHours(1);
        profile.Schedule.FullSyncInterval = TimeSpan.Zero;
        configure?.Invoke(profile);
        for (var i = 0; i < users; i++)
        {
            World.Directory.AddUser(tenantId, i);
        }

        World.Profiles.Set(profile);
        return profile;
    }

    public async Task StartAsync()
    {
        await Scheduler.StartAsync(CancellationToken.None);
        _started = true;
        await WaitIdleAsync();
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await Scheduler.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Moves the clock on in steps, letting the scheduler finish what falls due at each step.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null, Func<bool>? settled = null)
    {
        var size = step ?? TimeSpan.FromMinutes(1);
        var end = Time.GetUtcNow() + by;
        while (Time.GetUtcNow() < end)
        {
            var next = Time.GetUtcNow() + size;
            Time.Advance((next > end ? end : next) - Time.GetUtcNow());
            await Eventually.TrueAsync(settled ?? (() => Scheduler.IsIdle), "the scheduler to settle at " + Time.GetUtcNow().ToString("u"), Describe);
        }
    }

    public Task WaitIdleAsync() => Eventually.TrueAsync(() => Scheduler.IsIdle, "the scheduler to settle", Describe);

    /// <summary>What the scheduler was doing, for a test that gave up waiting.</summary>
    public string Describe() =>
        $"waiting: {Scheduler.IsWaiting}, running: {Scheduler.RunningCount}, active reads: {Directory.ActiveReads}, loop: {Scheduler.ExecuteTask?.Status}, "
        + $"error: {Scheduler.ExecuteTask?.Exception?.GetBaseException().Message}; last logs: "
        + string.Join(" | ", Logs.GetSnapshot().TakeLast(8).Select(l => l.Message));

    public async Task<IReadOnlyList<SyncReport>> RunsAsync(string tenantId) =>
        (await State.GetRunsAsync(tenantId, 1000)).Reverse().ToList();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _provider.DisposeAsync();
    }

    /// <summary>What outlives one host: the clock, the directory, the stores, the profiles.</summary>
    internal sealed class Shared
    {
        public Shared()
        {
            Directory.Clock = Time;

            // Leases expire by the test's clock, and employee writes are fenced by them, as AddInMemoryStores wires it.
            State = new InMemorySyncStateStore(Time);
            Store = new InMemoryEmployeeStore(State);
        }

        public FakeTimeProvider Time { get; } = new(Start);

        public ControlledDirectory Directory { get; } = new();

        public InMemoryEmployeeStore Store { get; }

        public InMemorySyncStateStore State { get; }

        public TestProfiles Profiles { get; } = new();
    }
}

/// <summary>Profiles a test changes while the host runs, like a multi-tenant host's database.</summary>
internal sealed class TestProfiles : ISyncProfileProvider
{
    private readonly Lock _gate = new();
    private readonly List<SyncProfile> _profiles = [];

    public Exception? FailEnumerationAfter { get; set; }

    public void Set(SyncProfile profile)
    {
        lock (_gate)
        {
            _profiles.RemoveAll(p => string.Equals(p.TenantId, profile.TenantId, StringComparison.OrdinalIgnoreCase));
            _profiles.Add(profile);
        }
    }

    public void AddRaw(SyncProfile profile)
    {
        lock (_gate)
        {
            _profiles.Add(profile);
        }
    }

    public ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_profiles.FirstOrDefault(p => string.Equals(p.TenantId, tenantId, StringComparison.OrdinalIgnoreCase)));
        }
    }

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<SyncProfile> snapshot;
        lock (_gate)
        {
            snapshot = [.. _profiles];
        }

        foreach (var profile in snapshot)
        {
            yield return profile;
        }

        await Task.CompletedTask;
    }
}

/// <summary>
/// An <see cref="InMemoryDirectory"/> with per-tenant faults and gates, which counts reads and how many run at once.
/// </summary>
internal sealed class ControlledDirectory : IDirectorySource
{
    private readonly ConcurrentDictionary<string, Func<Exception>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _activeByTenant = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string Tenant, DateTimeOffset At, SyncMode Mode)> _reads = new();
    private int _active;
    private int _maxActive;
    private int _maxActivePerTenant;

    public InMemoryDirectory Inner { get; } = new() { PageSize = 10 };

    public Action<string>? OnRead { get; set; }

    public TimeProvider? Clock { get; set; }

    public int MaxConcurrentReads => Volatile.Read(ref _maxActive);

    public int MaxConcurrentReadsPerTenant => Volatile.Read(ref _maxActivePerTenant);

    public int ActiveReads => Volatile.Read(ref _active);

    public IReadOnlyList<(string Tenant, DateTimeOffset At, SyncMode Mode)> Reads => [.. _reads];

    public static string UserId(int i) => $"00000000-0000-0000-0000-{i:D12}";

    public void AddUser(string tenantId, int i, string? department = null) =>
        Inner.Upsert(tenantId, UserId(i), new Dictionary<string, object?>
        {
            ["displayName"] = $"User {i}",
            ["givenName"] = "User",
            ["surname"] = $"Number{i}",
            ["mail"] = $"user{i}@{tenantId}.example",
            ["userPrincipalName"] = $"user{i}@{tenantId}.example",
            ["jobTitle"] = "Consultant",
            ["department"] = department ?? "Sales",
        });

    public void Fail(string tenantId, Func<Exception> error) => _faults[tenantId] = error;

    public void Heal(string tenantId) => _faults.TryRemove(tenantId, out _);

    /// <summary>Makes the tenant's next reads wait before page <paramref name="beforePage"/> until released.</summary>
    public Gate Block(string tenantId, int beforePage = 0) => _gates[tenantId] = new Gate(beforePage);

    public void Unblock(string tenantId)
    {
        if (_gates.TryRemove(tenantId, out var gate))
        {
            gate.Release();
        }
    }

    public int ReadCount(string tenantId) => _reads.Count(r => string.Equals(r.Tenant, tenantId, StringComparison.OrdinalIgnoreCase));

    public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tenant = request.Context.TenantId;
        _reads.Enqueue((tenant, Clock?.GetUtcNow() ?? request.Context.StartedAt, request.Mode));
        var active = Interlocked.Increment(ref _active);
        var perTenant = _activeByTenant.AddOrUpdate(tenant, 1, (_, n) => n + 1);
        Max(ref _maxActive, active);
        Max(ref _maxActivePerTenant, perTenant);
        try
        {
            OnRead?.Invoke(tenant);
            if (_faults.TryGetValue(tenant, out var fault))
            {
                throw fault();
            }

            var page = 0;
            await foreach (var item in Inner.ReadUsersAsync(request, cancellationToken))
            {
                if (_gates.TryGetValue(tenant, out var gate) && gate.BeforePage == page)
                {
                    gate.Entered.TrySetResult();
                    await gate.Released.Task.WaitAsync(cancellationToken);
                }

                yield return item;
                page++;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _activeByTenant.AddOrUpdate(tenant, 0, (_, n) => n - 1);
        }
    }

    public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default)
    {
        if (_faults.TryGetValue(request.Context.TenantId, out var fault))
        {
            throw fault();
        }

        return Inner.GetUserAsync(request, user, cancellationToken);
    }

    public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) =>
        Inner.GetPhotoAsync(request, userId, cancellationToken);

    private static void Max(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    internal sealed class Gate(int beforePage)
    {
        public int BeforePage { get; } = beforePage;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}

/// <summary>Waits for an observable condition with a bounded wait: no fixed sleeps that hope the work is done.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what, Func<string>? describe = null)
    {
        var deadline = Environment.TickCount64 + (long)Limit.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Limit.TotalSeconds} s. {describe?.Invoke()}");
            }

            await Task.Delay(2);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Environment.TickCount64 + (long)Limit.TotalMilliseconds;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {Limit.TotalSeconds} s.");
            }

            await Task.Delay(2);
        }
    }
}
