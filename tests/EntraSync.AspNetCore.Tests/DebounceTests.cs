using EntraSync.AspNetCore.ChangeNotifications.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.AspNetCore.Tests;

/// <summary>Hints become few runs: on a fake clock, with a sync that records its calls.</summary>
public sealed class DebounceTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_burst_of_a_thousand_hints_for_a_tenant_is_one_incremental_run_after_the_debounce()
    {
        var time = new FakeTimeProvider();
        var sync = new RecordingSync();
        await using var debouncer = new TenantRunDebouncer(sync, time, () => Debounce, NullLogger.Instance);

        for (var i = 0; i < 1_000; i++)
        {
            debouncer.Trigger("contoso");
        }

        time.Advance(Debounce - TimeSpan.FromMilliseconds(1));
        Assert.Empty(sync.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitUntilAsync(() => sync.Calls.Count == 1);
        Assert.Equal(("contoso", SyncMode.Incremental), sync.Calls.Single());
        sync.Release();
        await Eventually.WaitUntilAsync(() => sync.Finished == 1);
        time.Advance(Debounce * 10);
        Assert.Single(sync.Calls);
    }

    [Fact]
    public async Task Hints_that_arrive_during_a_run_make_exactly_one_more_run_after_it()
    {
        var time = new FakeTimeProvider();
        var sync = new RecordingSync();
        await using var debouncer = new TenantRunDebouncer(sync, time, () => Debounce, NullLogger.Instance);
        debouncer.Trigger("contoso");
        time.Advance(Debounce);
        await Eventually.WaitUntilAsync(() => sync.Calls.Count == 1);

        for (var i = 0; i < 100; i++)
        {
            debouncer.Trigger("contoso");
        }

        sync.Release();
        await Eventually.WaitUntilAsync(() => sync.Finished == 1);

        // The debouncer arms the follow-up just after the sync returns, and Finished counts just before that: a clock
        // moved on in between would leave the timer due after it (it failed 1 run in CI). Move the clock on a debounce
        // at a time until the follow-up starts; the count below still proves it is exactly one more run.
        await Eventually.WaitUntilAsync(() =>
        {
            time.Advance(Debounce);
            return sync.Calls.Count == 2;
        });
        sync.Release();
        await Eventually.WaitUntilAsync(() => sync.Finished == 2);
        time.Advance(Debounce * 10);
        Assert.Equal(2, sync.Calls.Count);
    }

    [Fact]
    public async Task Tenants_are_debounced_apart()
    {
        var time = new FakeTimeProvider();
        var sync = new RecordingSync { Blocking = false };
        await using var debouncer = new TenantRunDebouncer(sync, time, () => Debounce, NullLogger.Instance);

        debouncer.Trigger("contoso");
        debouncer.Trigger("fabrikam");
        debouncer.Trigger("contoso");
        time.Advance(Debounce);

        await Eventually.WaitUntilAsync(() => sync.Finished == 2);
        Assert.Equal(["contoso", "fabrikam"], sync.Calls.Select(c => c.Tenant).Order());
    }

    private sealed class RecordingSync : IEntraUserSync
    {
        private readonly SemaphoreSlim _release = new(0);
        private int _finished;

        public List<(string Tenant, SyncMode Mode)> Calls { get; } = [];

        public bool Blocking { get; init; } = true;

        public int Finished => Volatile.Read(ref _finished);

        public void Release() => _release.Release();

        public async Task<SyncReport> SyncAsync(string tenantId, SyncRunOptions? options = null, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add((tenantId, options?.Mode ?? SyncMode.Incremental));
            }

            if (Blocking)
            {
                await _release.WaitAsync(cancellationToken);
            }

            Interlocked.Increment(ref _finished);
            return new SyncReport { TenantId = tenantId, RunId = "r", Outcome = SyncOutcome.Succeeded, Mode = SyncMode.Incremental };
        }

        public Task<SyncReport> SyncAsync(SyncProfile profile, SyncRunOptions? options, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SyncReport> ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StagedRemovals> RejectRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<UserSyncResult> SyncUserAsync(string tenantId, string user, UserSyncOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max = 50, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
