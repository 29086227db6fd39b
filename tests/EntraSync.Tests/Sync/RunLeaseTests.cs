using EntraSync.Testing;
using EntraSync.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EntraSync.Tests.Sync;

/// <summary>One run per tenant on short leases: renewed while the run lives, and a run that loses its lease stops writing.</summary>
public sealed class RunLeaseTests
{
    private const string Tenant = "contoso";
    private static readonly TimeSpan Duration = new EntraSyncOptions().RunLeaseDuration;

    [Fact]
    public void The_default_lease_is_two_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(2), Duration);
    }

    [Fact]
    public async Task A_run_longer_than_its_lease_keeps_the_tenant_because_the_heartbeat_renews_it()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 20);
        var gate = h.Directory.Block(Tenant, beforePage: 1);
        var run = h.Sync.SyncAsync(Tenant);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Ten minutes (five lease durations) in 20-second steps; after each, the lease still has over 50 s to run.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromSeconds(20))
        {
            h.Time.Advance(TimeSpan.FromSeconds(20));
            await Eventually.TrueAsync(async () => (await h.State.TryAcquireLeaseAsync(Tenant, "another-process", Duration)).ExpiresIn > TimeSpan.FromSeconds(50), "the heartbeat to renew the lease");
        }

        h.Directory.Unblock(Tenant);
        var report = await run;

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(20, report.Counts.Created);
    }

    [Fact]
    public async Task A_run_that_cannot_renew_its_lease_stops_writing_fails_and_removes_nobody()
    {
        var world = new OperationsHarness.Shared();
        var leases = new LeaseFaults(world.State);
        await using var h = new OperationsHarness(shared: world, addScheduler: false, builder: b => b.Services.Replace(ServiceDescriptor.Singleton<ISyncStateStore>(leases)));
        h.AddTenant(Tenant, users: 20);
        await h.Sync.SyncAsync(Tenant);
        h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(0));
        h.Directory.Inner.Remove(Tenant, ControlledDirectory.UserId(1));
        var gate = h.Directory.Block(Tenant, beforePage: 1);
        var run = h.Sync.SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        leases.FailRenewals = true;

        // Renewals every 40 s fail; after the second the lease could expire before a third, so the run stops.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            h.Time.Advance(Duration / 3);
            await Eventually.TrueAsync(() => leases.Renewals >= attempt, $"renewal {attempt}");
        }

        var report = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal("LeaseLost", report.FailureKind);
        Assert.Contains("could not be renewed", Assert.Single(report.Errors), StringComparison.Ordinal);
        Assert.Contains("Nobody was removed", report.Errors[0], StringComparison.Ordinal);
        Assert.All(h.Store.GetEmployees(Tenant), e => Assert.True(e.IsActive));
        Assert.Equal(0, report.Counts.Deactivated);
    }

    [Fact]
    public async Task A_run_whose_lease_another_run_took_over_stops_at_its_next_heartbeat()
    {
        var world = new OperationsHarness.Shared();
        var leases = new LeaseFaults(world.State);
        await using var h = new OperationsHarness(shared: world, addScheduler: false, builder: b => b.Services.Replace(ServiceDescriptor.Singleton<ISyncStateStore>(leases)));
        h.AddTenant(Tenant, users: 20);
        var gate = h.Directory.Block(Tenant, beforePage: 1);
        var run = h.Sync.SyncAsync(Tenant);
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        leases.LoseLease = true;

        h.Time.Advance(Duration / 3);
        var report = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal("LeaseLost", report.FailureKind);
        Assert.Contains("another run took over", report.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sync_while_another_process_holds_the_lease_says_how_long_to_wait()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant(Tenant, users: 3);
        Assert.True((await h.State.TryAcquireLeaseAsync(Tenant, "killed-process", Duration)).IsAcquired);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        var report = await h.Sync.SyncAsync(Tenant);

        Assert.Equal(SyncOutcome.AlreadyRunning, report.Outcome);
        Assert.Equal("LeaseHeld", report.FailureKind);
        Assert.Contains("run killed-process", report.Errors[0], StringComparison.Ordinal);
        Assert.Contains("expires within 90 s: try again in 91 s", report.Errors[0], StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromSeconds(91));
        Assert.Equal(SyncOutcome.Succeeded, (await h.Sync.SyncAsync(Tenant)).Outcome);
    }

    [Fact]
    public async Task A_lease_duration_outside_two_seconds_to_an_hour_fails_start_up_naming_the_option()
    {
        foreach (var duration in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromHours(2) })
        {
            var services = new ServiceCollection();
            services.AddEntraUserSync(o => o.RunLeaseDuration = duration).AddInMemoryStores();
            await using var provider = services.BuildServiceProvider();
            var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EntraSyncOptions>>().Value);
            Assert.Contains("EntraSync:RunLeaseDuration", error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A state store whose lease renewals fail or find the lease taken over, on demand.</summary>
    private sealed class LeaseFaults(InMemorySyncStateStore inner) : ISyncStateStore
    {
        private int _renewals;

        public bool FailRenewals { get; set; }

        public bool LoseLease { get; set; }

        public int Renewals => Volatile.Read(ref _renewals);

        public async ValueTask<RunLease?> RenewLeaseAsync(RunLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
        {
            try
            {
                return FailRenewals ? throw new TimeoutException("the database did not answer")
                    : LoseLease ? null
                    : await inner.RenewLeaseAsync(lease, duration, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref _renewals);
            }
        }

        public ValueTask<RunLeaseAttempt> TryAcquireLeaseAsync(string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken = default) => inner.TryAcquireLeaseAsync(tenantId, owner, duration, cancellationToken);

        public ValueTask ReleaseLeaseAsync(RunLease lease, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(lease, cancellationToken);

        public ValueTask<SyncCheckpoint?> GetCheckpointAsync(string tenantId, CancellationToken cancellationToken = default) => inner.GetCheckpointAsync(tenantId, cancellationToken);

        public ValueTask SaveCheckpointAsync(string tenantId, SyncCheckpoint? checkpoint, long leaseGeneration, CancellationToken cancellationToken = default) => inner.SaveCheckpointAsync(tenantId, checkpoint, leaseGeneration, cancellationToken);

        public ValueTask AddRunAsync(SyncReport report, int keep, CancellationToken cancellationToken = default) => inner.AddRunAsync(report, keep, cancellationToken);

        public ValueTask<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max, CancellationToken cancellationToken = default) => inner.GetRunsAsync(tenantId, max, cancellationToken);

        public ValueTask SaveStagedRemovalsAsync(StagedRemovals staged, CancellationToken cancellationToken = default) => inner.SaveStagedRemovalsAsync(staged, cancellationToken);

        public ValueTask<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default) => inner.GetStagedRemovalsAsync(tenantId, cancellationToken);

        public ValueTask<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default) => inner.GetTenantStateAsync(tenantId, cancellationToken);

        public ValueTask SaveTenantStateAsync(TenantSyncState state, CancellationToken cancellationToken = default) => inner.SaveTenantStateAsync(state, cancellationToken);
    }
}
