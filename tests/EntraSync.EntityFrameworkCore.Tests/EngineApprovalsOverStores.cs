using EntraSync.Testing;
using EntraSync.Testing.Conformance;
using EntraSync.Testing.Conformance.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>
/// The approval rules, run through the engine over each of our stores (state is where staged removals live). These
/// were cases of the published SyncStateStoreConformance suite; they moved here because they drive the engine, and the
/// EntraSync.Testing package must not depend on the engine (and, through it, on Microsoft Graph). The store's part of
/// them (staged sets replaced by id, every decision kept, run leases) stays in the published suite.
/// </summary>
public static class EngineApprovalsOverStores
{
    public static IReadOnlyList<StoreConformanceCase> Cases { get; } =
    [
        Case("A complete full read supersedes pending staged removals, and approving a superseded set is refused", FullReadSupersedesAsync),
        Case("After an incremental read, approving staged removals removes only employees the read still did not see", IncrementalReadPrunesAsync),
        Case("Approving an expired set of staged removals is refused and the set is recorded as expired", ExpiredApprovalAsync),
        Case("Rejecting staged removals takes the tenant's run lease like approving them", RejectTakesLeaseAsync),
    ];

    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    public static StoreConformanceCase Get(string name) => Cases.Single(c => c.Name == name);

    private static StoreConformanceCase Case(string name, Func<IStoreConformanceTarget, CancellationToken, Task> run) => new() { Name = name, RunAsync = run };

    private static async Task FullReadSupersedesAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        await using var engine = new ApprovalEngine(target, users: 12);
        var stagedId = await engine.StageFiveAsync(cancellationToken).ConfigureAwait(false);

        // Three come back; the next full read decides afresh: 2 removals are under the threshold and are applied.
        engine.RestoreUsers(0, 3);
        var later = await engine.SyncAsync(SyncMode.Full, cancellationToken).ConfigureAwait(false);
        Expect.Equal(2, later.Counts.Deactivated, "Deactivated by the later full read");

        var superseded = Expect.Single(await target.State.GetStagedRemovalsAsync(engine.Tenant, cancellationToken).ConfigureAwait(false), s => s.Id == stagedId, "The first staged set");
        Expect.Equal(StagedRemovalsStatus.Superseded, superseded.Status, "Status of a pending set after a later complete full read");
        var refused = await Expect.ThrowsAsync<InvalidOperationException>(
            () => engine.Sync.ApproveRemovalsAsync(engine.Tenant, stagedId, "conformance", cancellationToken),
            "Approving a superseded set").ConfigureAwait(false);
        Expect.True(refused.Message.Contains("superseded", StringComparison.Ordinal), $"The refusal must say the set was superseded: {refused.Message}");
        Expect.Equal(10, await engine.ActiveAsync(cancellationToken).ConfigureAwait(false), "Active employees (the three who came back stay active)");
    }

    private static async Task IncrementalReadPrunesAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        await using var engine = new ApprovalEngine(target, users: 12);
        var stagedId = await engine.StageFiveAsync(cancellationToken).ConfigureAwait(false);

        engine.RestoreUsers(0, 2);
        await engine.SyncAsync(SyncMode.Incremental, cancellationToken).ConfigureAwait(false);
        var pending = Expect.Single(await target.State.GetStagedRemovalsAsync(engine.Tenant, cancellationToken).ConfigureAwait(false), s => s.Id == stagedId, "The staged set");
        Expect.Equal(StagedRemovalsStatus.Pending, pending.Status, "Status after an incremental read that saw two of the five again");
        Expect.Equal(3, pending.Removals.Count, "Removals left in the set after an incremental read saw two of the five again");

        var approved = await engine.Sync.ApproveRemovalsAsync(engine.Tenant, stagedId, "conformance", cancellationToken).ConfigureAwait(false);
        Expect.Equal(3, approved.Counts.Deactivated, "Deactivated by the approval");
        Expect.Equal(9, await engine.ActiveAsync(cancellationToken).ConfigureAwait(false), "Active employees after the approval (the two who came back stay)");
    }

    private static async Task ExpiredApprovalAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        await using var engine = new ApprovalEngine(target, users: 3);
        await engine.SyncAsync(SyncMode.Full, cancellationToken).ConfigureAwait(false);
        var employee = (await target.Employees.FindAsync(engine.Tenant, [ApprovalEngine.UserId(0)], [], cancellationToken).ConfigureAwait(false)).Single();
        var id = "old-" + Guid.NewGuid().ToString("N")[..12];
        await target.State.SaveStagedRemovalsAsync(new StagedRemovals
        {
            Id = id,
            TenantId = engine.Tenant,
            RunId = "run-old",
            CreatedAt = TimeProvider.System.GetUtcNow() - engine.Profile.Removal.StagedRemovalsLifetime - TimeSpan.FromHours(1),
            Removals = [new StagedRemoval { Key = employee.Key, DirectoryId = employee.DirectoryId!, Email = employee.Email, Action = RemovalAction.Deactivate, Cause = RemovalCause.NotInDirectory }],
        }, cancellationToken).ConfigureAwait(false);

        var refused = await Expect.ThrowsAsync<InvalidOperationException>(
            () => engine.Sync.ApproveRemovalsAsync(engine.Tenant, id, "conformance", cancellationToken),
            "Approving staged removals older than Removal:StagedRemovalsLifetime").ConfigureAwait(false);
        Expect.True(refused.Message.Contains("expired", StringComparison.Ordinal) && refused.Message.Contains("Removal:StagedRemovalsLifetime", StringComparison.Ordinal), $"The refusal must say the set expired and name the option: {refused.Message}");
        var stored = Expect.Single(await target.State.GetStagedRemovalsAsync(engine.Tenant, cancellationToken).ConfigureAwait(false), s => s.Id == id, "The expired set");
        Expect.Equal(StagedRemovalsStatus.Expired, stored.Status, "Status of a set whose approval was refused for expiry");
        Expect.Equal(3, await engine.ActiveAsync(cancellationToken).ConfigureAwait(false), "Active employees after a refused approval");
    }

    private static async Task RejectTakesLeaseAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        await using var engine = new ApprovalEngine(target, users: 12);
        var stagedId = await engine.StageFiveAsync(cancellationToken).ConfigureAwait(false);

        var other = await Expect.AcquireAsync(target.State, engine.Tenant, "another-process", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        var refused = await Expect.ThrowsAsync<InvalidOperationException>(
            () => engine.Sync.RejectRemovalsAsync(engine.Tenant, stagedId, "conformance", cancellationToken),
            "Rejecting while another process holds the tenant's run lease").ConfigureAwait(false);
        Expect.True(refused.Message.Contains("another process", StringComparison.Ordinal), $"The refusal must say another process runs the tenant: {refused.Message}");
        Expect.Equal(StagedRemovalsStatus.Pending, (await target.State.GetStagedRemovalsAsync(engine.Tenant, cancellationToken).ConfigureAwait(false)).Single(s => s.Id == stagedId).Status, "Status after a refused rejection");

        await target.State.ReleaseLeaseAsync(other, cancellationToken).ConfigureAwait(false);
        var rejected = await engine.Sync.RejectRemovalsAsync(engine.Tenant, stagedId, "conformance", cancellationToken).ConfigureAwait(false);
        Expect.Equal(StagedRemovalsStatus.Rejected, rejected.Status, "Status after rejecting with the lease free");
        Expect.True((await target.State.TryAcquireLeaseAsync(engine.Tenant, "next-run", TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false)).IsAcquired, "A rejection must release the lease it took.");
    }

    /// <summary>The engine over the stores under test and an in-memory directory of one tenant.</summary>
    private sealed class ApprovalEngine : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly InMemoryDirectory _directory = new() { PageSize = 5 };
        private readonly Dictionary<string, Dictionary<string, object?>> _users = new(StringComparer.Ordinal);

        public ApprovalEngine(IStoreConformanceTarget target, int users)
        {
            Profile = new SyncProfile { TenantId = Tenant, Removal = { MaxRemovalsPerRun = 2 } };
            for (var i = 0; i < users; i++)
            {
                _users[UserId(i)] = new Dictionary<string, object?>
                {
                    ["displayName"] = $"User {i}",
                    ["givenName"] = "User",
                    ["surname"] = $"Number{i}",
                    ["mail"] = $"user{i}@conformance.example",
                };
                _directory.Upsert(Tenant, UserId(i), _users[UserId(i)]);
            }

            var services = new ServiceCollection();
            services.AddEntraUserSync(o => o.Tenants.Add(Profile));
            services.Replace(ServiceDescriptor.Singleton(target.Employees));
            services.Replace(ServiceDescriptor.Singleton(target.State));
            services.Replace(ServiceDescriptor.Singleton<IDirectorySource>(_directory));
            _services = services.BuildServiceProvider();
            Sync = _services.GetRequiredService<IEntraUserSync>();
            Employees = target.Employees;
        }

        public string Tenant { get; } = Expect.NewTenant();

        public SyncProfile Profile { get; }

        public IEntraUserSync Sync { get; }

        private IEmployeeStore Employees { get; }

        public static string UserId(int i) => $"00000000-0000-0000-0000-{i:D12}";

        public async Task<SyncReport> SyncAsync(SyncMode mode, CancellationToken cancellationToken)
        {
            var report = await Sync.SyncAsync(Tenant, new SyncRunOptions { Mode = mode }, cancellationToken).ConfigureAwait(false);
            Expect.Equal(SyncOutcome.Succeeded, report.Outcome, $"Outcome of a {mode} sync ({string.Join(" ", report.Errors)})");
            return report;
        }

        /// <summary>Syncs the 12 users, then removes 5: above Removal:MaxRemovalsPerRun (2), so the next full read stages them.</summary>
        public async Task<string> StageFiveAsync(CancellationToken cancellationToken)
        {
            await SyncAsync(SyncMode.Full, cancellationToken).ConfigureAwait(false);
            RemoveUsers(0, 5);
            var staging = await SyncAsync(SyncMode.Full, cancellationToken).ConfigureAwait(false);
            return staging.StagedRemovalsId ?? throw new StoreConformanceException($"Removing 5 of 12 users with Removal:MaxRemovalsPerRun 2 must stage them: {staging}");
        }

        public void RemoveUsers(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                _directory.Remove(Tenant, UserId(i));
            }
        }

        public void RestoreUsers(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                _directory.Upsert(Tenant, UserId(i), _users[UserId(i)]);
            }
        }

        public async Task<int> ActiveAsync(CancellationToken cancellationToken)
        {
            var active = 0;
            await foreach (var employee in Employees.ReadLinkedAsync(Tenant, cancellationToken).ConfigureAwait(false))
            {
                active += employee.IsActive ? 1 : 0;
            }

            return active;
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
