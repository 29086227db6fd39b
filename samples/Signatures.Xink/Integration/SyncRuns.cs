using EntraSync;

namespace Signatures.Xink.Integration;

/// <summary>
/// Runs the account's sync in the background, one at a time, for "Sync now" and the schedule alike, and remembers how
/// the last one ended in words for the dashboard. The page polls <c>/sync/status</c> while a run is going.
/// </summary>
public sealed partial class SyncRuns(AccountSync sync, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SyncRuns> logger)
{
    private readonly Lock _gate = new();
    private Task? _running;

    /// <summary>Gets when the run in progress started, or <see langword="null"/> when none is running.</summary>
    public DateTimeOffset? RunningSince { get; private set; }

    /// <summary>Gets what started the run in progress ("Sync now", "the schedule").</summary>
    public string? RunningTrigger { get; private set; }

    /// <summary>Gets how the last run that ended here went, in words for an admin; <see langword="null"/> before the first.</summary>
    public AdminMessage? LastResult { get; private set; }

    /// <summary>Gets when the last run ended.</summary>
    public DateTimeOffset? LastFinishedAt { get; private set; }

    /// <summary>Starts a run unless one is going; returns <see langword="false"/> when one is.</summary>
    /// <param name="trigger">Who starts it, in words ("Sync now", "the schedule").</param>
    /// <param name="kind">What starts it, recorded in the run history (the dashboard's "updated ... by").</param>
    public bool TryStart(string trigger, SyncTrigger kind = SyncTrigger.Manual)
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false })
            {
                return false;
            }

            RunningSince = time.GetUtcNow();
            RunningTrigger = trigger;
            _running = Task.Run(() => RunAsync(kind, lifetime.ApplicationStopping));
            return true;
        }
    }

    /// <summary>Runs now and waits (the schedule); returns <see langword="false"/> when another run was going.</summary>
    public async Task<bool> RunAndWaitAsync(string trigger, SyncTrigger kind)
    {
        if (!TryStart(trigger, kind))
        {
            return false;
        }

        await _running!;   // no other run can replace it before it completes
        return true;
    }

    private async Task RunAsync(SyncTrigger kind, CancellationToken cancellationToken)
    {
        AdminMessage result;
        try
        {
            var report = await sync.RunAsync(SignaturesApp.AccountId, kind, cancellationToken);
            Log.RunEnded(logger, report.RunId, report.Outcome, report.FailureKind, string.Join(" ", report.Errors), string.Join(" ", report.Warnings));
            result = AdminMessages.Describe(report);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RunCrashed(logger, ex);
            result = AdminMessages.Unexpected;
        }

        lock (_gate)
        {
            LastResult = result;
            LastFinishedAt = time.GetUtcNow();
            RunningSince = null;
            RunningTrigger = null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sync run {RunId} ended {Outcome} ({FailureKind}). Errors: {Errors} Warnings: {Warnings}")]
        public static partial void RunEnded(ILogger logger, string runId, SyncOutcome outcome, string? failureKind, string errors, string warnings);

        [LoggerMessage(2, LogLevel.Error, "Sync run crashed")]
        public static partial void RunCrashed(ILogger logger, Exception exception);
    }
}
