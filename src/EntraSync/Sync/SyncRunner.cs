using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using EntraSync.Email;
using EntraSync.Profiles;
using EntraSync.Scheduling.Internal;
using EntraSync.Sync.Internal;
using EntraSync.Telemetry.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.Sync;

/// <summary>The sync engine: one tenant's run from directory read to store writes, behind the safety guards.</summary>
internal sealed partial class SyncRunner : IEntraUserSync, IDisposable
{
    private readonly ConcurrentDictionary<string, string> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly SyncServices _services;
    private readonly ISyncProfileProvider _profiles;
    private readonly IOptionsMonitor<EntraSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncRunner> _logger;
    private readonly SyncTelemetry _telemetry;
    private readonly bool _ownsTelemetry;
    private readonly IOptionsMonitor<EntraSyncSchedulerOptions>? _schedulerOptions;
    private readonly TenantStateChanges? _stateChanges;

    public SyncRunner(
        IDirectorySource source,
        IEmployeeStore store,
        ISyncStateStore state,
        IFieldMapper mapper,
        IUserFilter filter,
        IAssignmentMatcher matcher,
        IRetentionPolicy retention,
        ISyncProfileProvider profiles,
        IOptionsMonitor<EntraSyncOptions> options,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null,
        SyncTelemetry? telemetry = null,
        IOptionsMonitor<EntraSyncSchedulerOptions>? schedulerOptions = null,
        TenantStateChanges? stateChanges = null)
    {
        _services = new SyncServices(source, store, state, mapper, filter, matcher, retention);
        _profiles = profiles;
        _options = options;
        _time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SyncRunner>();
        _ownsTelemetry = telemetry is null;
        _telemetry = telemetry ?? new SyncTelemetry(null);
        _schedulerOptions = schedulerOptions;
        _stateChanges = stateChanges;
    }

    public void Dispose()
    {
        if (_ownsTelemetry)
        {
            _telemetry.Dispose();
        }
    }

    public async Task<SyncReport> SyncAsync(string tenantId, SyncRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            var now = _time.GetUtcNow();
            return new SyncReport
            {
                TenantId = tenantId,
                RunId = NewRunId(),
                Outcome = SyncOutcome.Failed,
                FailureKind = "UnknownTenant",
                StartedAt = now,
                FinishedAt = now,
                Errors = [$"No profile is configured for tenant '{tenantId}'. Add it to EntraSync:Tenants or to your ISyncProfileProvider."],
            };
        }

        return await SyncAsync(profile, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncReport> SyncAsync(SyncProfile profile, SyncRunOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new SyncRunOptions();
        var runId = NewRunId();
        using var scope = _telemetry.StartRun("EntraSync.Sync", profile.TenantId ?? "", runId, options.Trigger, options.Mode, options.DryRun);
        var report = await SyncCoreAsync(profile, options, runId, cancellationToken).ConfigureAwait(false);
        _telemetry.RecordRun(report, options.Trigger, scope.Activity);
        return report;
    }

    private async Task<SyncReport> SyncCoreAsync(SyncProfile profile, SyncRunOptions options, string runId, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        SyncReport Early(SyncOutcome outcome, string? error, string? kind = null) => new()
        {
            TenantId = profile.TenantId,
            RunId = runId,
            Outcome = outcome,
            RequestedMode = options.Mode,
            Mode = options.Mode,
            IsDryRun = options.DryRun,
            StartedAt = startedAt,
            FinishedAt = _time.GetUtcNow(),
            FailureKind = kind,
            Errors = error is null ? [] : [error],
        };

        var problems = SyncProfileValidator.Validate(profile);
        if (problems.Count > 0)
        {
            Log.InvalidProfile(_logger, profile.TenantId, string.Join(" ", problems));
            var invalid = Early(SyncOutcome.Failed, "The tenant's profile is invalid: " + string.Join(" ", problems), InvalidProfileKind);
            if (!options.DryRun && !string.IsNullOrWhiteSpace(profile.TenantId))
            {
                // Reported per tenant (history, state, health check) so a bad profile is seen without stopping anyone else.
                await _services.State.AddRunAsync(invalid, Math.Max(1, profile.RunHistoryLength), CancellationToken.None).ConfigureAwait(false);
                await RecordStateAsync(profile, invalid, options).ConfigureAwait(false);
            }

            return invalid;
        }

        if (!profile.Enabled)
        {
            return Early(SyncOutcome.Disabled, null);
        }

        var tenantId = profile.TenantId;
        if (!_running.TryAdd(tenantId, runId))
        {
            Log.AlreadyRunning(_logger, tenantId, runId);
            return Early(SyncOutcome.AlreadyRunning, $"A sync for tenant '{tenantId}' is already running (run {_running.GetValueOrDefault(tenantId)}); this trigger did not start another.");
        }

        try
        {
            TenantLease? lease;
            RunLeaseAttempt attempt;
            try
            {
                (lease, attempt) = await TenantLease.TryAcquireAsync(_services.State, tenantId, runId, _options.CurrentValue.RunLeaseDuration, _time, _logger, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Early(SyncOutcome.Cancelled, "The run was cancelled before it started. Nobody was removed.");
            }

            if (lease is null)
            {
                Log.AlreadyRunning(_logger, tenantId, runId);
                return Early(SyncOutcome.AlreadyRunning, $"A sync for tenant '{tenantId}' is already running in another process (run {attempt.HeldBy}); this trigger did not start another. {TenantLease.WaitHint(attempt)}", LeaseHeldKind);
            }

            await using (lease.ConfigureAwait(false))
            {
                if (options.ScheduledFor is { } slot
                    && await _services.State.GetTenantStateAsync(tenantId, cancellationToken).ConfigureAwait(false) is { NextRunAt: { } next }
                    && next != slot)
                {
                    // Another run (a manual one, or another host's scheduler) served this slot between the scheduler's
                    // look at the state and taking the lease: do not run it twice.
                    Log.SlotAlreadyServed(_logger, tenantId, runId, slot, next);
                    return Early(SyncOutcome.AlreadyRunning, $"The scheduled run of tenant '{tenantId}' for {slot:u} already happened; the next is at {next:u}.");
                }

                return await RunAsync(profile, options, runId, startedAt, lease, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _running.TryRemove(tenantId, out _);
        }
    }

    private async Task<SyncReport> RunAsync(SyncProfile profile, SyncRunOptions options, string runId, DateTimeOffset startedAt, TenantLease lease, CancellationToken callerToken)
    {
        // The run's work stops when the caller cancels or the run loses its lease.
        using var work = CancellationTokenSource.CreateLinkedTokenSource(callerToken, lease.Lost);
        var cancellationToken = work.Token;
        var tenantId = profile.TenantId;
        var context = new SyncContext
        {
            TenantId = tenantId,
            RunId = runId,
            Profile = profile,
            Mode = options.Mode,
            IsDryRun = options.DryRun,
            StartedAt = startedAt,
        };
        Log.RunStarted(_logger, tenantId, runId, options.Mode, options.DryRun);

        var run = new SyncRun(context, _services, _options.CurrentValue.WriteBatchSize, lease.Generation);
        var outcome = SyncOutcome.Succeeded;
        string? failureKind = null;
        string? fallback = null;
        SyncCheckpoint? checkpoint = null;
        try
        {
            var properties = Pipeline.RequiredProperties(context, _services.Mapper, _services.Filter, _services.Matcher);
            var fingerprint = Fingerprint(profile, properties);
            await _services.Matcher.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            if (options.Mode == SyncMode.Incremental)
            {
                checkpoint = await _services.State.GetCheckpointAsync(tenantId, cancellationToken).ConfigureAwait(false);
                if (checkpoint is null)
                {
                    fallback = "there is no checkpoint yet, so this run reads everything";
                }
                else if (!string.Equals(checkpoint.Fingerprint, fingerprint, StringComparison.Ordinal))
                {
                    fallback = "the profile changed what is read since the last checkpoint, so this run reads everything";
                    checkpoint = null;
                }
            }

            var request = new DirectoryReadRequest
            {
                Context = context,
                Mode = checkpoint is null ? SyncMode.Full : SyncMode.Incremental,
                Checkpoint = checkpoint,
                Properties = properties,
            };

            // The next page is fetched while this one is applied (see PageReadAhead).
            await foreach (var page in _services.Source.ReadUsersAsync(request, cancellationToken).ReadAheadAsync(ReadAheadPages, cancellationToken).ConfigureAwait(false))
            {
                await run.ProcessPageAsync(page, cancellationToken).ConfigureAwait(false);
            }

            if (run.Completion is null)
            {
                outcome = SyncOutcome.PartiallySucceeded;
                failureKind = "IncompleteRead";
                run.Ledger.Errors.Add("The directory read ended before the source reported it complete, so nobody was removed. The next run reads again.");
            }
            else
            {
                fallback = run.Completion.FallbackReason ?? (options.Mode == SyncMode.Incremental ? fallback : null);
                await run.FinishAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (!options.DryRun)
                {
                    await SaveCheckpointAsync(tenantId, run.Completion, fingerprint, checkpoint, lease.Generation, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            outcome = SyncOutcome.Cancelled;
            run.Ledger.Errors.Add("The run was cancelled. " + Written(run.Ledger, "the cancellation"));
        }
        catch (Exception ex) when (lease.LostReason is not null && ex is OperationCanceledException or StaleLeaseException)
        {
            outcome = SyncOutcome.Failed;
            failureKind = LeaseLostKind;
            run.Ledger.Errors.Add($"The run stopped writing because {lease.LostReason}. " + Written(run.Ledger, "it stopped"));
        }
        catch (StaleLeaseException ex)
        {
            outcome = SyncOutcome.Failed;
            failureKind = LeaseLostKind;
            run.Ledger.Errors.Add($"The run stopped writing: {ex.Message} " + Written(run.Ledger, "it stopped"));
            Log.RunFailed(_logger, ex, tenantId, runId);
        }
        catch (DirectoryException ex)
        {
            outcome = SyncOutcome.Failed;
            failureKind = ex.Kind.ToString();
            run.Ledger.Errors.Add(ex.Message + " " + Written(run.Ledger, "the failure"));
            Log.DirectoryFailed(_logger, ex, tenantId, runId, ex.Kind, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = SyncOutcome.Failed;
            failureKind = ex.GetType().Name;
            run.Ledger.Errors.Add($"The run failed: {ex.Message} " + Written(run.Ledger, "the failure"));
            Log.RunFailed(_logger, ex, tenantId, runId);
        }

        var completion = run.Completion;
        var ledger = run.Ledger;
        var report = new SyncReport
        {
            TenantId = tenantId,
            RunId = runId,
            Outcome = outcome,
            RequestedMode = options.Mode,
            Mode = completion is null ? (checkpoint is null ? SyncMode.Full : SyncMode.Incremental) : completion.IsFullEnumeration ? SyncMode.Full : SyncMode.Incremental,
            FallbackReason = fallback,
            IsDryRun = options.DryRun,
            IsReadComplete = completion is not null && outcome == SyncOutcome.Succeeded,
            StartedAt = startedAt,
            FinishedAt = _time.GetUtcNow(),
            Counts = ledger.ToCounts(),
            Users = ledger.Outcomes,
            IsUserListTruncated = ledger.Truncated,
            UnmatchedUnitValues = ledger.UnmatchedUnits,
            UnmatchedUserTypeValues = ledger.UnmatchedUserTypes,
            StagedRemovalsId = run.StagedRemovalsId,
            Warnings = ledger.Warnings,
            Errors = ledger.Errors,
            FailureKind = failureKind,
        };

        if (!options.DryRun)
        {
            await _services.State.AddRunAsync(report, profile.RunHistoryLength, CancellationToken.None).ConfigureAwait(false);
            if (failureKind != LeaseLostKind)
            {
                // A run that lost its lease leaves the tenant's scheduling state to the run that holds it now.
                await RecordStateAsync(profile, report, options).ConfigureAwait(false);
            }
        }

        Log.RunFinished(_logger, tenantId, runId, outcome, report.Mode, report.Counts.Read, report.Counts.Changes, report.Counts.Staged, report.Duration.TotalMilliseconds);
        return report;
    }

    /// <summary>Moves the tenant's scheduling state on after a run: failures, quarantine, next runs.</summary>
    private async Task RecordStateAsync(SyncProfile profile, SyncReport report, SyncRunOptions options)
    {
        var tenantId = profile.TenantId;
        try
        {
            var threshold = _schedulerOptions?.CurrentValue.QuarantineAfterFailures ?? 3;
            var previous = await _services.State.GetTenantStateAsync(tenantId, CancellationToken.None).ConfigureAwait(false);
            var sameReason = 0;
            if (report.Outcome is SyncOutcome.Failed or SyncOutcome.PartiallySucceeded)
            {
                var kind = FailureKindOf(report);
                foreach (var run in await _services.State.GetRunsAsync(tenantId, Math.Max(threshold, 1), CancellationToken.None).ConfigureAwait(false))
                {
                    if (run.Outcome is not (SyncOutcome.Failed or SyncOutcome.PartiallySucceeded) || !string.Equals(FailureKindOf(run), kind, StringComparison.Ordinal))
                    {
                        break;
                    }

                    sameReason++;
                }
            }

            var next = TenantSchedule.AfterRun(previous, profile, report, options.Trigger, options.ScheduledFor, sameReason, threshold);
            await _services.State.SaveTenantStateAsync(next, CancellationToken.None).ConfigureAwait(false);
            if (next.QuarantinedUntil is { } until && previous?.QuarantinedUntil != until)
            {
                Log.Quarantined(_logger, tenantId, report.RunId, next.ConsecutiveFailures, next.LastFailureKind ?? "", until);
            }
            else if (previous?.QuarantinedUntil is not null && next.QuarantinedUntil is null)
            {
                Log.QuarantineLifted(_logger, tenantId, report.RunId);
            }

            _stateChanges?.Publish(tenantId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run itself is done and recorded; a state write that fails only costs scheduling precision.
            Log.StateNotSaved(_logger, ex, tenantId, report.RunId);
        }
    }

    private static string FailureKindOf(SyncReport report) => report.FailureKind ?? report.Outcome.ToString();

    public async Task<IReadOnlyList<SyncReport>> GetRunsAsync(string tenantId, int max = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return max == 0 ? [] : await _services.State.GetRunsAsync(tenantId, max, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TenantSyncState?> GetTenantStateAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _services.State.GetTenantStateAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveCheckpointAsync(string tenantId, DirectoryReadCompletion completion, string fingerprint, SyncCheckpoint? previous, long leaseGeneration, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lastFull = completion.IsFullEnumeration ? now : previous?.LastFullReadAt;
        var checkpoint = completion.Checkpoint is null
            ? null
            : new SyncCheckpoint
            {
                Value = completion.Checkpoint.Value,
                Fingerprint = fingerprint,
                CreatedAt = completion.Checkpoint.CreatedAt == default ? now : completion.Checkpoint.CreatedAt,
                LastFullReadAt = completion.Checkpoint.LastFullReadAt ?? lastFull,
            };
        await _services.State.SaveCheckpointAsync(tenantId, checkpoint, leaseGeneration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the read selects and filters; a checkpoint taken under another fingerprint cannot be continued.</summary>
    /// <summary>
    /// What decides the outcome for a user who did not change in the directory: what is read and how it is judged
    /// (scope, email rules, field map, filters, matching, mandatory fields, photos). A checkpoint taken under another
    /// fingerprint cannot be continued, because users that delta would not return again may now be judged differently.
    /// </summary>
    private static string Fingerprint(SyncProfile profile, IReadOnlyCollection<string> properties)
    {
        var judged = JsonSerializer.SerializeToUtf8Bytes(new
        {
            properties = properties.Select(p => p.ToUpperInvariant()),
            profile.Scope.ODataFilter,
            groups = profile.Scope.GroupIds.Order(StringComparer.OrdinalIgnoreCase),
            profile.Scope.IncludeNestedGroups,
            profile.Connection.GraphBaseUrl,
            profile.Connection.TenantId,
            profile.Email,
            profile.Fields,
            profile.Filter,
            profile.Matching,
            profile.MandatoryFields,
            photos = new { profile.Photos.Enabled, profile.Photos.Size },
        });
        return Convert.ToHexString(SHA256.HashData(judged).AsSpan(0, 12));
    }

    public async Task<IReadOnlyList<StagedRemovals>> GetStagedRemovalsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _services.State.GetStagedRemovalsAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SyncReport> ApproveRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stagedRemovalsId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? new SyncProfile { TenantId = tenantId };
        var runId = NewRunId();
        using var scope = _telemetry.StartRun("EntraSync.ApproveRemovals", tenantId, runId, SyncTrigger.Approval, SyncMode.Full, dryRun: false);
        var report = await ApproveCoreAsync(tenantId, stagedRemovalsId, decidedBy, profile, runId, cancellationToken).ConfigureAwait(false);
        _telemetry.RecordRun(report, SyncTrigger.Approval, scope.Activity);
        return report;
    }

    private async Task<SyncReport> ApproveCoreAsync(string tenantId, string stagedRemovalsId, string? decidedBy, SyncProfile profile, string runId, CancellationToken callerToken)
    {
        var startedAt = _time.GetUtcNow();
        return await WithTenantLockAsync(tenantId, runId, "approve the staged removals", callerToken, async (lease, cancellationToken) =>
        {
            var staged = await GetPendingAsync(tenantId, stagedRemovalsId, profile, cancellationToken).ConfigureAwait(false);
            var ids = staged.Removals.Select(r => r.DirectoryId).ToList();
            var current = (await _services.Store.FindAsync(tenantId, ids, [], cancellationToken).ConfigureAwait(false))
                .Where(e => e.DirectoryId is not null)
                .ToDictionary(e => e.DirectoryId!, StringComparer.OrdinalIgnoreCase);
            var ledger = new RunLedger(profile.MaxUserOutcomesInReport);
            var changes = new List<EmployeeChange>();
            foreach (var removal in staged.Removals)
            {
                if (!current.TryGetValue(removal.DirectoryId, out var employee) || !employee.IsActive)
                {
                    ledger.Warnings.Add($"{removal.Email ?? removal.DirectoryId} is no longer an active linked employee; nothing to remove.");
                    continue;
                }

                var pending = new PendingRemoval(employee, removal.Cause);
                changes.Add(SyncRun.RemovalChange(pending, removal.Action, startedAt));
                var action = removal.Action == RemovalAction.Delete ? UserAction.Deleted : UserAction.Deactivated;
                ledger.Plan(employee.DirectoryId!, action, ledger.HasRoom ? new UserOutcome
                {
                    DirectoryId = employee.DirectoryId,
                    Email = employee.Email,
                    Action = action,
                    Reason = $"{SyncRun.Describe(removal.Cause)} (approved by {decidedBy ?? "an administrator"})",
                } : null);
            }

            try
            {
                await SyncRun.WriteBatchesAsync(_services.Store, tenantId, changes, _options.CurrentValue.WriteBatchSize, lease.Generation, ledger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && ledger.Removed > 0)
            {
                // Part of the set is applied: say how much, so nobody believes the approval changed nothing.
                throw new InvalidOperationException($"Approving staged removals '{staged.Id}' of tenant '{tenantId}' stopped part-way: {ex.Message} {Written(ledger, "it stopped")} The set stays pending; approve it again to apply the rest.", ex);
            }

            var finishedAt = _time.GetUtcNow();
            await _services.State.SaveStagedRemovalsAsync(StagedRemovalsDecision.Decide(staged, StagedRemovalsStatus.Approved, finishedAt, decidedBy), cancellationToken).ConfigureAwait(false);
            var report = new SyncReport
            {
                TenantId = tenantId,
                RunId = runId,
                Outcome = SyncOutcome.Succeeded,
                RequestedMode = SyncMode.Full,
                Mode = SyncMode.Full,
                IsReadComplete = true,
                StartedAt = startedAt,
                FinishedAt = finishedAt,
                Counts = ledger.ToCounts(),
                Users = ledger.Outcomes,
                IsUserListTruncated = ledger.Truncated,
                StagedRemovalsId = staged.Id,
                Warnings = ledger.Warnings,
            };
            await _services.State.AddRunAsync(report, profile.RunHistoryLength, CancellationToken.None).ConfigureAwait(false);
            Log.RemovalsDecided(_logger, tenantId, staged.Id, StagedRemovalsStatus.Approved, changes.Count);
            return report;
        }).ConfigureAwait(false);
    }

    public async Task<StagedRemovals> RejectRemovalsAsync(string tenantId, string stagedRemovalsId, string? decidedBy = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(stagedRemovalsId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false) ?? new SyncProfile { TenantId = tenantId };

        // Under the tenant's lock like an approval, so a decision never races a run superseding the set or another decision.
        return await WithTenantLockAsync(tenantId, NewRunId(), "reject the staged removals", cancellationToken, async (_, token) =>
        {
            var staged = await GetPendingAsync(tenantId, stagedRemovalsId, profile, token).ConfigureAwait(false);
            var rejected = StagedRemovalsDecision.Decide(staged, StagedRemovalsStatus.Rejected, _time.GetUtcNow(), decidedBy);
            await _services.State.SaveStagedRemovalsAsync(rejected, token).ConfigureAwait(false);
            Log.RemovalsDecided(_logger, tenantId, staged.Id, StagedRemovalsStatus.Rejected, 0);
            return rejected;
        }).ConfigureAwait(false);
    }

    /// <summary>Runs a decision on staged removals holding the tenant's in-process lock and run lease (renewed while it runs).</summary>
    private async Task<T> WithTenantLockAsync<T>(string tenantId, string runId, string doing, CancellationToken callerToken, Func<TenantLease, CancellationToken, Task<T>> decide)
    {
        if (!_running.TryAdd(tenantId, runId))
        {
            throw new InvalidOperationException($"A sync for tenant '{tenantId}' is running (run {_running.GetValueOrDefault(tenantId)}); {doing} when it has finished.");
        }

        try
        {
            var (lease, attempt) = await TenantLease.TryAcquireAsync(_services.State, tenantId, runId, _options.CurrentValue.RunLeaseDuration, _time, _logger, callerToken).ConfigureAwait(false);
            if (lease is null)
            {
                throw new InvalidOperationException($"A sync for tenant '{tenantId}' is running in another process (run {attempt.HeldBy}); {doing} when it has finished. {TenantLease.WaitHint(attempt)}");
            }

            await using (lease.ConfigureAwait(false))
            {
                using var work = CancellationTokenSource.CreateLinkedTokenSource(callerToken, lease.Lost);
                try
                {
                    return await decide(lease, work.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (lease.LostReason is not null && ex is OperationCanceledException or StaleLeaseException)
                {
                    throw new InvalidOperationException($"Could not {doing} of tenant '{tenantId}': {lease.LostReason}. Try again.", ex);
                }
            }
        }
        finally
        {
            _running.TryRemove(tenantId, out _);
        }
    }

    /// <summary>The staged set to decide: it must exist and still be pending, and not have expired.</summary>
    private async Task<StagedRemovals> GetPendingAsync(string tenantId, string id, SyncProfile profile, CancellationToken cancellationToken)
    {
        var all = await _services.State.GetStagedRemovalsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var staged = all.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no staged removals with id '{id}'.");
        var lifetime = profile.Removal.StagedRemovalsLifetime;
        var now = _time.GetUtcNow();
        if (staged.Status == StagedRemovalsStatus.Pending && staged.CreatedAt + lifetime <= now)
        {
            staged = StagedRemovalsDecision.Decide(staged, StagedRemovalsStatus.Expired, staged.CreatedAt + lifetime, "expiry (Removal:StagedRemovalsLifetime)");
            await _services.State.SaveStagedRemovalsAsync(staged, cancellationToken).ConfigureAwait(false);
        }

        if (staged.Status == StagedRemovalsStatus.Pending)
        {
            return staged;
        }

        var current = all.FirstOrDefault(s => s.Status == StagedRemovalsStatus.Pending && s.CreatedAt + lifetime > now && !string.Equals(s.Id, id, StringComparison.Ordinal));
        var instead = current is null ? " No other staged removals are waiting for approval." : $" The staged removals waiting for approval now are '{current.Id}'.";
        throw staged.Status switch
        {
            StagedRemovalsStatus.Superseded => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' were superseded on {staged.DecidedAt:u} by {staged.DecidedBy ?? "a later run"}: a complete read of the directory after they were staged decided those removals again, so approving this older list could remove people who are back.{instead}"),
            StagedRemovalsStatus.Expired => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' expired on {staged.CreatedAt + lifetime:u}: they were staged on {staged.CreatedAt:u} and staged removals can be approved for {lifetime.TotalDays:0.##} day(s) (Removal:StagedRemovalsLifetime), so they may no longer match the directory. Run a full sync: it stages again whoever is still missing.{instead}"),
            _ => new InvalidOperationException(
                $"Staged removals '{id}' of tenant '{tenantId}' were already {staged.Status.ToString().ToLowerInvariant()} on {staged.DecidedAt:u}; only pending removals can be decided."),
        };
    }

    internal const string InvalidProfileKind = "InvalidProfile";

    /// <summary>The failure kind of a run that lost its tenant's lease and stopped writing.</summary>
    internal const string LeaseLostKind = "LeaseLost";

    /// <summary>The failure kind of a trigger that found another process holding the tenant's lease.</summary>
    internal const string LeaseHeldKind = "LeaseHeld";

    /// <summary>What a run that stopped early had written, in words: committed batches only, never what was planned.</summary>
    private static string Written(RunLedger ledger, string stop)
    {
        var removed = ledger.Removed;
        var notRemoved = ledger.NotCommitted(UserAction.Deactivated, UserAction.Deleted, UserAction.Purged);
        var removals = removed == 0
            ? "Nobody was removed"
            : $"{removed} removal(s) were written before {stop} ({ledger.Deactivated} deactivated, {ledger.Deleted} deleted, {ledger.Purged} purged){(notRemoved > 0 ? $" and {notRemoved} planned removal(s) were not" : "")}";
        var others = ledger.Changes - removed;
        var kept = others > 0 ? $"; {others} other change(s) written before {stop} are kept" : "";
        return $"{removals}{kept}. The next run completes the rest.";
    }

    /// <summary>Pages read ahead of the one being applied: one is enough to keep the directory read busy.</summary>
    private const int ReadAheadPages = 1;

    private static string NewRunId() => Guid.NewGuid().ToString("N")[..12];

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sync of tenant {TenantId} started (run {RunId}, {Mode}, dry run: {DryRun})")]
        public static partial void RunStarted(ILogger logger, string tenantId, string runId, SyncMode mode, bool dryRun);

        [LoggerMessage(2, LogLevel.Information, "Sync of tenant {TenantId} finished (run {RunId}): {Outcome}, {Mode}, {Read} read, {Changes} changes, {Staged} removals staged, {DurationMs:0} ms")]
        public static partial void RunFinished(ILogger logger, string tenantId, string runId, SyncOutcome outcome, SyncMode mode, int read, int changes, int staged, double durationMs);

        [LoggerMessage(3, LogLevel.Warning, "Sync of tenant {TenantId} not started (run {RunId}): another run is in progress")]
        public static partial void AlreadyRunning(ILogger logger, string tenantId, string runId);

        [LoggerMessage(4, LogLevel.Error, "Sync of tenant {TenantId} failed (run {RunId}): directory error {Kind}: {Message}")]
        public static partial void DirectoryFailed(ILogger logger, Exception exception, string tenantId, string runId, DirectoryErrorKind kind, string message);

        [LoggerMessage(5, LogLevel.Error, "Sync of tenant {TenantId} failed (run {RunId})")]
        public static partial void RunFailed(ILogger logger, Exception exception, string tenantId, string runId);

        [LoggerMessage(6, LogLevel.Error, "The profile of tenant {TenantId} is invalid: {Problems}")]
        public static partial void InvalidProfile(ILogger logger, string tenantId, string problems);

        [LoggerMessage(7, LogLevel.Information, "Staged removals {StagedId} of tenant {TenantId} {Status}: {Applied} removals applied")]
        public static partial void RemovalsDecided(ILogger logger, string tenantId, string stagedId, StagedRemovalsStatus status, int applied);

        [LoggerMessage(8, LogLevel.Warning, "Tenant {TenantId} quarantined until {Until:u} (run {RunId}): {Failures} runs in a row failed with {Kind}; a profile change or a successful manual run lifts it")]
        public static partial void Quarantined(ILogger logger, string tenantId, string runId, int failures, string kind, DateTimeOffset until);

        [LoggerMessage(9, LogLevel.Information, "Quarantine of tenant {TenantId} lifted (run {RunId})")]
        public static partial void QuarantineLifted(ILogger logger, string tenantId, string runId);

        [LoggerMessage(10, LogLevel.Error, "The scheduling state of tenant {TenantId} could not be saved after run {RunId}")]
        public static partial void StateNotSaved(ILogger logger, Exception exception, string tenantId, string runId);

        [LoggerMessage(12, LogLevel.Debug, "Scheduled run {RunId} of tenant {TenantId} for {Slot:u} skipped: the slot was already served, next run at {Next:u}")]
        public static partial void SlotAlreadyServed(ILogger logger, string tenantId, string runId, DateTimeOffset slot, DateTimeOffset next);
    }
}
