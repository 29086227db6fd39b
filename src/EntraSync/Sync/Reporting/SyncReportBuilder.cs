namespace EntraSync.Sync.Reporting;

/// <summary>
/// The one place a <see cref="SyncReport"/> is built: from what is known when the run starts (tenant, run, mode) and,
/// at the end, from the run's <see cref="RunLedger"/> (counts of committed changes, outcomes, warnings, errors) or a
/// single error for a run that did not start.
/// </summary>
internal sealed class SyncReportBuilder
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets when the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets what started the run.</summary>
    public SyncTrigger Trigger { get; init; }

    /// <summary>Gets the mode the trigger asked for.</summary>
    public SyncMode RequestedMode { get; init; }

    /// <summary>Gets a value indicating whether the run is a dry run.</summary>
    public bool IsDryRun { get; init; }

    /// <summary>A report for a trigger that did not run (unknown tenant, invalid profile, disabled, already running, cancelled before it started).</summary>
    public SyncReport NotRun(SyncOutcome outcome, DateTimeOffset finishedAt, string? error, string? failureKind = null) => new()
    {
        TenantId = TenantId,
        RunId = RunId,
        Outcome = outcome,
        Trigger = Trigger,
        RequestedMode = RequestedMode,
        Mode = RequestedMode,
        IsDryRun = IsDryRun,
        StartedAt = StartedAt,
        FinishedAt = finishedAt,
        FailureKind = failureKind,
        Errors = error is null ? [] : [error],
    };

    /// <summary>A report of a run that ran: its counts, outcomes, warnings and errors come from <paramref name="ledger"/>.</summary>
    /// <param name="ledger">What the run recorded.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="mode">The mode it read in (full or incremental).</param>
    /// <param name="finishedAt">When it ended.</param>
    /// <param name="isReadComplete">Whether the directory read was complete.</param>
    /// <param name="fallbackReason">Why an incremental request read everything, if it did.</param>
    /// <param name="stagedRemovalsId">The staged set the run staged, or the one an approval applied.</param>
    /// <param name="failureKind">What kind of failure stopped it, if any.</param>
    public SyncReport Ran(
        RunLedger ledger,
        SyncOutcome outcome,
        SyncMode mode,
        DateTimeOffset finishedAt,
        bool isReadComplete,
        string? fallbackReason = null,
        string? stagedRemovalsId = null,
        string? failureKind = null) => new()
    {
        TenantId = TenantId,
        RunId = RunId,
        Outcome = outcome,
        Trigger = Trigger,
        RequestedMode = RequestedMode,
        Mode = mode,
        FallbackReason = fallbackReason,
        IsDryRun = IsDryRun,
        IsReadComplete = isReadComplete,
        StartedAt = StartedAt,
        FinishedAt = finishedAt,
        Counts = ledger.ToCounts(),
        Users = ledger.Outcomes,
        IsUserListTruncated = ledger.Truncated,
        UnmatchedUnitValues = ledger.UnmatchedUnits,
        UnmatchedUserTypeValues = ledger.UnmatchedUserTypes,
        StagedRemovalsId = stagedRemovalsId,
        Warnings = ledger.Warnings,
        Errors = ledger.Errors,
        FailureKind = failureKind,
    };
}
