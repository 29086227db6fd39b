using System.Collections.Concurrent;
using EntraSync.ChangeFeed.Internal;
using EntraSync.Profiles;
using EntraSync.Scheduling.Internal;
using EntraSync.Sync.Applying;
using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Reading;
using EntraSync.Sync.Reporting;
using EntraSync.Sync.Running;
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
        TenantStateChanges? stateChanges = null,
        ChangeFeedPublisher? changeFeed = null)
    {
        _services = new SyncServices(source, store, state, mapper, filter, matcher, retention, changeFeed);
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
            return new SyncReportBuilder { TenantId = tenantId, RunId = NewRunId(), StartedAt = now, Trigger = options?.Trigger ?? SyncTrigger.Manual }
                .NotRun(SyncOutcome.Failed, now, $"No profile is configured for tenant '{tenantId}'. Add it to EntraSync:Tenants or to your ISyncProfileProvider.", "UnknownTenant");
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
        var reportBuilder = new SyncReportBuilder { TenantId = profile.TenantId, RunId = runId, StartedAt = startedAt, RequestedMode = options.Mode, IsDryRun = options.DryRun, Trigger = options.Trigger };
        SyncReport Early(SyncOutcome outcome, string? error, string? kind = null) => reportBuilder.NotRun(outcome, _time.GetUtcNow(), error, kind);

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

                return await RunAsync(profile, options, reportBuilder, lease, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _running.TryRemove(tenantId, out _);
        }
    }

    private async Task<SyncReport> RunAsync(SyncProfile profile, SyncRunOptions options, SyncReportBuilder reportBuilder, TenantLease lease, CancellationToken callerToken)
    {
        var runId = reportBuilder.RunId;
        var startedAt = reportBuilder.StartedAt;
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
            var properties = UserEvaluator.RequiredProperties(context, _services.Mapper, _services.Filter, _services.Matcher);
            var fingerprint = CheckpointWriter.Fingerprint(profile, properties);
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
                    await CheckpointWriter.SaveAsync(_services.State, tenantId, run.Completion, fingerprint, checkpoint, lease.Generation, _time, cancellationToken).ConfigureAwait(false);
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
        var report = reportBuilder.Ran(
            ledger,
            outcome,
            completion is null ? (checkpoint is null ? SyncMode.Full : SyncMode.Incremental) : completion.IsFullEnumeration ? SyncMode.Full : SyncMode.Incremental,
            _time.GetUtcNow(),
            isReadComplete: completion is not null && outcome == SyncOutcome.Succeeded,
            fallbackReason: fallback,
            stagedRemovalsId: run.StagedRemovalsId,
            failureKind: failureKind);

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
}
