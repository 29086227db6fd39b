using EntraSync.Testing.Conformance.Internal;

namespace EntraSync.Testing.Conformance;

/// <summary>
/// The behaviour every <see cref="ISyncStateStore"/> must have, as framework-agnostic cases (see
/// <see cref="EmployeeStoreConformance"/> for how to run them).
/// </summary>
public static class SyncStateStoreConformance
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets every case.</summary>
    public static IReadOnlyList<StoreConformanceCase> Cases { get; } =
    [
        Case("A checkpoint is saved, replaced and removed, per tenant", CheckpointAsync),
        Case("Run history returns the newest reports first and keeps only the newest", RunHistoryAsync),
        Case("A run report keeps its counts, outcomes, warnings and errors", RunReportRoundTripAsync),
        Case("Staged removals are added, replaced by id and listed newest first, per tenant", StagedRemovalsAsync),
        Case("Tenant state is saved and replaced, per tenant", TenantStateAsync),
        Case("A run lease is held by one owner until released, and each new holder gets a higher generation", LeaseAsync),
        Case("An expired run lease is taken over with a higher generation, and the old holder can neither renew nor release it", ExpiredLeaseAsync),
        Case("A held run lease is renewed with a later expiry and the same generation", RenewLeaseAsync),
        Case("A checkpoint save carrying a lease generation that is not the tenant's current lease is refused and changes nothing", StaleCheckpointAsync),
        Case("Staged removals keep every decision, including Superseded and Expired", StagedDecisionsAsync),
    ];

    /// <summary>Gets the case names, for a test framework's data source.</summary>
    public static IEnumerable<string> Names => Cases.Select(c => c.Name);

    /// <summary>Gets a case by name.</summary>
    /// <param name="name">The case name.</param>
    /// <returns>The case.</returns>
    public static StoreConformanceCase Get(string name) =>
        Cases.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"There is no sync state store conformance case named '{name}'.", nameof(name));

    private static StoreConformanceCase Case(string name, Func<IStoreConformanceTarget, CancellationToken, Task> run) => new() { Name = name, RunAsync = run };

    private static SyncReport Report(string tenant, string runId, DateTimeOffset at) => new()
    {
        TenantId = tenant,
        RunId = runId,
        Outcome = SyncOutcome.Succeeded,
        StartedAt = at,
        FinishedAt = at.AddSeconds(30),
    };

    private static async Task CheckpointAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        Expect.Equal(null, await state.GetCheckpointAsync(tenant, cancellationToken).ConfigureAwait(false), "Checkpoint of a new tenant");
        var lease = await Expect.HoldLeaseAsync(state, tenant).ConfigureAwait(false);
        var otherLease = await Expect.HoldLeaseAsync(state, other).ConfigureAwait(false);

        await state.SaveCheckpointAsync(tenant, new SyncCheckpoint { Value = "v1", Fingerprint = "f1", CreatedAt = Noon, LastFullReadAt = Noon }, lease, cancellationToken).ConfigureAwait(false);
        await state.SaveCheckpointAsync(other, new SyncCheckpoint { Value = "other", CreatedAt = Noon }, otherLease, cancellationToken).ConfigureAwait(false);
        await state.SaveCheckpointAsync(tenant, new SyncCheckpoint { Value = "v2", Fingerprint = "f2", CreatedAt = Noon.AddHours(1), LastFullReadAt = Noon }, lease, cancellationToken).ConfigureAwait(false);

        var saved = await state.GetCheckpointAsync(tenant, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreConformanceException("GetCheckpointAsync returned nothing after SaveCheckpointAsync.");
        Expect.Equal("v2", saved.Value, "Checkpoint value after a replace");
        Expect.Equal("f2", saved.Fingerprint, "Checkpoint fingerprint");
        Expect.Equal(Noon.AddHours(1), saved.CreatedAt, "Checkpoint CreatedAt");
        Expect.Equal<DateTimeOffset?>(Noon, saved.LastFullReadAt, "Checkpoint LastFullReadAt");

        await state.SaveCheckpointAsync(tenant, null, lease, cancellationToken).ConfigureAwait(false);
        Expect.Equal(null, await state.GetCheckpointAsync(tenant, cancellationToken).ConfigureAwait(false), "Checkpoint after saving null");
        Expect.Equal("other", (await state.GetCheckpointAsync(other, cancellationToken).ConfigureAwait(false))?.Value, "Another tenant's checkpoint");
    }

    private static async Task RunHistoryAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        await state.AddRunAsync(Report(other, "other-1", Noon), 10, cancellationToken).ConfigureAwait(false);
        for (var i = 1; i <= 5; i++)
        {
            await state.AddRunAsync(Report(tenant, $"run-{i}", Noon.AddHours(i)), 3, cancellationToken).ConfigureAwait(false);
        }

        var runs = await state.GetRunsAsync(tenant, 10, cancellationToken).ConfigureAwait(false);
        Expect.Equal("run-5,run-4,run-3", string.Join(",", runs.Select(r => r.RunId)), "Runs kept (keep 3), newest first");
        Expect.Equal("run-5,run-4", string.Join(",", (await state.GetRunsAsync(tenant, 2, cancellationToken).ConfigureAwait(false)).Select(r => r.RunId)), "Runs returned with max 2");
        Expect.Equal("other-1", string.Join(",", (await state.GetRunsAsync(other, 10, cancellationToken).ConfigureAwait(false)).Select(r => r.RunId)), "Another tenant's runs");
    }

    private static async Task RunReportRoundTripAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var report = new SyncReport
        {
            TenantId = tenant,
            RunId = "run-1",
            Outcome = SyncOutcome.PartiallySucceeded,
            RequestedMode = SyncMode.Incremental,
            Mode = SyncMode.Full,
            FallbackReason = "no checkpoint",
            IsReadComplete = false,
            StartedAt = Noon,
            FinishedAt = Noon.AddMinutes(2),
            Counts = new SyncCounts { Read = 10, Created = 3, Updated = 2, Skipped = 1 },
            Users =
            [
                new UserOutcome { DirectoryId = "d-1", Email = "ann@contoso.com", Action = UserAction.Updated, ChangedFields = [new FieldChange { Field = "Job Title", OldValue = "A", NewValue = "B" }] },
                new UserOutcome { DirectoryId = "d-2", Action = UserAction.Skipped, SkipReason = SkipReason.MissingEmail, Reason = "missing email" },
            ],
            UnmatchedUnitValues = new Dictionary<string, int> { ["Narnia"] = 2 },
            Warnings = ["a warning"],
            Errors = ["an error"],
            FailureKind = "IncompleteRead",
        };
        await target.State.AddRunAsync(report, 5, cancellationToken).ConfigureAwait(false);

        var read = (await target.State.GetRunsAsync(tenant, 1, cancellationToken).ConfigureAwait(false)).SingleOrDefault()
            ?? throw new StoreConformanceException("GetRunsAsync returned no report after AddRunAsync.");
        Expect.Equal(SyncOutcome.PartiallySucceeded, read.Outcome, "Outcome of the stored report");
        Expect.Equal(SyncMode.Full, read.Mode, "Mode of the stored report");
        Expect.Equal(Noon.AddMinutes(2), read.FinishedAt, "FinishedAt of the stored report");
        Expect.Equal(report.Counts.ToString(), read.Counts.ToString(), "Counts of the stored report");
        Expect.Equal("an error", read.Errors.SingleOrDefault(), "Errors of the stored report");
        Expect.Equal("a warning", read.Warnings.SingleOrDefault(), "Warnings of the stored report");
        Expect.Equal("IncompleteRead", read.FailureKind, "FailureKind of the stored report");
    }

    private static async Task StagedRemovalsAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        StagedRemovals Staged(string id, string tenantId, DateTimeOffset at, StagedRemovalsStatus status = StagedRemovalsStatus.Pending) => new()
        {
            Id = id,
            TenantId = tenantId,
            RunId = "run-" + id,
            CreatedAt = at,
            Reason = "too many",
            Status = status,
            DecidedAt = status == StagedRemovalsStatus.Pending ? null : at.AddHours(1),
            DecidedBy = status == StagedRemovalsStatus.Pending ? null : "admin@contoso.com",
            Removals = [new StagedRemoval { Key = "k1", DirectoryId = "d-1", Email = "ann@contoso.com", Action = RemovalAction.Deactivate, Cause = RemovalCause.NotInDirectory }],
        };

        var first = "s1-" + Guid.NewGuid().ToString("N")[..8];
        var second = "s2-" + Guid.NewGuid().ToString("N")[..8];
        await state.SaveStagedRemovalsAsync(Staged(first, tenant, Noon), cancellationToken).ConfigureAwait(false);
        await state.SaveStagedRemovalsAsync(Staged(second, tenant, Noon.AddDays(1)), cancellationToken).ConfigureAwait(false);
        await state.SaveStagedRemovalsAsync(Staged("o-" + Guid.NewGuid().ToString("N")[..8], other, Noon), cancellationToken).ConfigureAwait(false);
        await state.SaveStagedRemovalsAsync(Staged(first, tenant, Noon, StagedRemovalsStatus.Superseded), cancellationToken).ConfigureAwait(false);

        var staged = await state.GetStagedRemovalsAsync(tenant, cancellationToken).ConfigureAwait(false);
        Expect.Equal($"{second},{first}", string.Join(",", staged.Select(s => s.Id)), "Staged removals of the tenant, newest first");
        var replaced = staged[1];
        Expect.Equal(StagedRemovalsStatus.Superseded, replaced.Status, "Status after replacing by id");
        Expect.Equal("admin@contoso.com", replaced.DecidedBy, "DecidedBy after replacing by id");
        Expect.Equal<DateTimeOffset?>(Noon.AddHours(1), replaced.DecidedAt, "DecidedAt after replacing by id");
        var removal = Expect.Single(replaced.Removals, _ => true, "Removals of the staged set");
        Expect.Equal("d-1", removal.DirectoryId, "Directory id of the staged removal");
        Expect.Equal(RemovalAction.Deactivate, removal.Action, "Action of the staged removal");
        Expect.Equal(RemovalCause.NotInDirectory, removal.Cause, "Cause of the staged removal");
        Expect.Equal(1, (await state.GetStagedRemovalsAsync(other, cancellationToken).ConfigureAwait(false)).Count, "Another tenant's staged removals");
    }

    private static async Task TenantStateAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        Expect.Equal(null, await state.GetTenantStateAsync(tenant, cancellationToken).ConfigureAwait(false), "State of a new tenant");

        await state.SaveTenantStateAsync(new TenantSyncState { TenantId = tenant, NextRunAt = Noon, ConsecutiveFailures = 2, LastFailureKind = "Throttled" }, cancellationToken).ConfigureAwait(false);
        await state.SaveTenantStateAsync(new TenantSyncState { TenantId = tenant, NextRunAt = Noon.AddHours(4), LastSuccessAt = Noon, QuarantinedUntil = Noon.AddDays(1), ProfileVersion = "v7", LastFailureMessage = "m" }, cancellationToken).ConfigureAwait(false);

        var saved = await state.GetTenantStateAsync(tenant, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreConformanceException("GetTenantStateAsync returned nothing after SaveTenantStateAsync.");
        Expect.Equal<DateTimeOffset?>(Noon.AddHours(4), saved.NextRunAt, "NextRunAt after a replace");
        Expect.Equal(0, saved.ConsecutiveFailures, "ConsecutiveFailures after a replace");
        Expect.Equal(null, saved.LastFailureKind, "LastFailureKind after a replace");
        Expect.Equal<DateTimeOffset?>(Noon.AddDays(1), saved.QuarantinedUntil, "QuarantinedUntil");
        Expect.Equal("v7", saved.ProfileVersion, "ProfileVersion");
        Expect.Equal(null, await state.GetTenantStateAsync(Expect.NewTenant(), cancellationToken).ConfigureAwait(false), "Another tenant's state");
    }

    private static async Task LeaseAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        var duration = TimeSpan.FromMinutes(10);

        var a = await Expect.AcquireAsync(state, tenant, "run-a", duration, cancellationToken).ConfigureAwait(false);
        var refused = await state.TryAcquireLeaseAsync(tenant, "run-b", duration, cancellationToken).ConfigureAwait(false);
        Expect.True(!refused.IsAcquired && refused.Lease is null, "A lease held by another run must not be taken.");
        Expect.Equal("run-a", refused.HeldBy, "HeldBy of a refused attempt");
        Expect.True(refused.ExpiresIn is { } wait && wait > TimeSpan.Zero && wait <= duration, $"ExpiresIn of a refused attempt must be within the holder's lease duration, got {refused.ExpiresIn}.");

        var again = await Expect.AcquireAsync(state, tenant, "run-a", duration, cancellationToken).ConfigureAwait(false);
        Expect.Equal(a.Generation, again.Generation, "Generation when the holder takes its own lease again");
        var elsewhere = await Expect.AcquireAsync(state, other, "run-b", duration, cancellationToken).ConfigureAwait(false);
        Expect.True(elsewhere.Generation > 0, "Another tenant's lease is separate and must be taken.");

        await state.ReleaseLeaseAsync(new RunLease { TenantId = tenant, Owner = "run-b", Generation = a.Generation, ExpiresAt = a.ExpiresAt }, cancellationToken).ConfigureAwait(false);
        Expect.True(!(await state.TryAcquireLeaseAsync(tenant, "run-c", duration, cancellationToken).ConfigureAwait(false)).IsAcquired, "A release by a run that does not hold the lease must not free it.");

        await state.ReleaseLeaseAsync(a, cancellationToken).ConfigureAwait(false);
        var c = await Expect.AcquireAsync(state, tenant, "run-c", duration, cancellationToken).ConfigureAwait(false);
        Expect.True(c.Generation > a.Generation, $"A new holder must get a higher generation: {c.Generation} after {a.Generation}.");
        await state.ReleaseLeaseAsync(c, cancellationToken).ConfigureAwait(false);
        var d = await Expect.AcquireAsync(state, tenant, "run-a", duration, cancellationToken).ConfigureAwait(false);
        Expect.True(d.Generation > c.Generation, $"A former holder taking a released lease again must get a higher generation: {d.Generation} after {c.Generation}.");
    }

    private static async Task ExpiredLeaseAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var a = await Expect.AcquireAsync(state, tenant, "run-a", TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);

        // The lease expires by the store's clock; ask until it has (bounded), without assuming how long that takes.
        RunLeaseAttempt taken;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            while (!(taken = await state.TryAcquireLeaseAsync(tenant, "run-b", TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false)).IsAcquired)
            {
                Expect.True(taken.ExpiresIn <= TimeSpan.FromMilliseconds(300), $"ExpiresIn of a 300 ms lease must not exceed 300 ms, got {taken.ExpiresIn}.");
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new StoreConformanceException("A 300 ms lease was still held after 30 s: an expired lease must be taken over.");
                }
            }
        }

        var b = taken.Lease!;
        Expect.True(b.Generation > a.Generation, $"The run taking over an expired lease must get a higher generation: {b.Generation} after {a.Generation}.");
        Expect.Equal(null, await state.RenewLeaseAsync(a, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false), "RenewLeaseAsync of a lease another run took over");
        await state.ReleaseLeaseAsync(a, cancellationToken).ConfigureAwait(false);
        var attempt = await state.TryAcquireLeaseAsync(tenant, "run-c", TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        Expect.Equal("run-b", attempt.HeldBy, "Holder after the old holder released a lease it had lost");
    }

    private static async Task RenewLeaseAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var a = await Expect.AcquireAsync(state, tenant, "run-a", TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);

        var renewed = await state.RenewLeaseAsync(a, TimeSpan.FromMinutes(30), cancellationToken).ConfigureAwait(false)
            ?? throw new StoreConformanceException("RenewLeaseAsync returned null for the lease's holder.");
        Expect.Equal(a.Generation, renewed.Generation, "Generation after a renewal");
        Expect.True(renewed.ExpiresAt > a.ExpiresAt, $"ExpiresAt after renewing for 30 minutes ({renewed.ExpiresAt:O}) must be later than the 1-minute lease's ({a.ExpiresAt:O}).");
        var refused = await state.TryAcquireLeaseAsync(tenant, "run-b", TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        Expect.True(refused.ExpiresIn > TimeSpan.FromMinutes(1), $"ExpiresIn after a 30-minute renewal must exceed the first minute, got {refused.ExpiresIn}.");

        await state.ReleaseLeaseAsync(renewed, cancellationToken).ConfigureAwait(false);
        Expect.Equal(null, await state.RenewLeaseAsync(renewed, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false), "RenewLeaseAsync of a released lease");
    }

    private static async Task StaleCheckpointAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        var a = await Expect.AcquireAsync(state, tenant, "run-a", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        await state.SaveCheckpointAsync(tenant, new SyncCheckpoint { Value = "old", CreatedAt = Noon }, a.Generation, cancellationToken).ConfigureAwait(false);
        await state.ReleaseLeaseAsync(a, cancellationToken).ConfigureAwait(false);
        var b = await Expect.AcquireAsync(state, tenant, "run-b", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        await state.SaveCheckpointAsync(tenant, new SyncCheckpoint { Value = "new", CreatedAt = Noon.AddHours(1) }, b.Generation, cancellationToken).ConfigureAwait(false);

        await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await state.SaveCheckpointAsync(tenant, new SyncCheckpoint { Value = "older", CreatedAt = Noon }, a.Generation, cancellationToken).ConfigureAwait(false),
            "SaveCheckpointAsync carrying the generation of a lease another run took over").ConfigureAwait(false);
        await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await state.SaveCheckpointAsync(tenant, null, a.Generation, cancellationToken).ConfigureAwait(false),
            "SaveCheckpointAsync(null) carrying a stale generation").ConfigureAwait(false);
        await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await state.SaveCheckpointAsync(Expect.NewTenant(), new SyncCheckpoint { Value = "x", CreatedAt = Noon }, b.Generation, cancellationToken).ConfigureAwait(false),
            "SaveCheckpointAsync for a tenant without a lease, carrying another tenant's generation").ConfigureAwait(false);
        Expect.Equal("new", (await state.GetCheckpointAsync(tenant, cancellationToken).ConfigureAwait(false))?.Value, "Checkpoint after refused saves");
    }

    private static async Task StagedDecisionsAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var state = target.State;
        var tenant = Expect.NewTenant();
        foreach (var status in Enum.GetValues<StagedRemovalsStatus>())
        {
            await state.SaveStagedRemovalsAsync(new StagedRemovals
            {
                Id = $"{status}-{Guid.NewGuid():N}"[..24],
                TenantId = tenant,
                RunId = "run-1",
                CreatedAt = Noon.AddMinutes((int)status),
                Status = status,
                DecidedAt = status == StagedRemovalsStatus.Pending ? null : Noon.AddDays(1),
                DecidedBy = status == StagedRemovalsStatus.Pending ? null : "run 42 (a later complete read)",
                Removals = [new StagedRemoval { Key = "k1", DirectoryId = "d-1", Action = RemovalAction.Delete, Cause = RemovalCause.DeletedInDirectory }],
            }, cancellationToken).ConfigureAwait(false);
        }

        var staged = await state.GetStagedRemovalsAsync(tenant, cancellationToken).ConfigureAwait(false);
        Expect.Equal(
            string.Join(",", Enum.GetValues<StagedRemovalsStatus>().Reverse()),
            string.Join(",", staged.Select(s => s.Status)),
            "Statuses of the staged sets, newest first");
        Expect.Equal("run 42 (a later complete read)", staged.First(s => s.Status == StagedRemovalsStatus.Expired).DecidedBy, "DecidedBy of an expired set");
    }
}
