using EntraSync;

namespace Intranet.Ziik.Integration;

/// <summary>
/// Runs synchronisations in the background, one at a time, for "Initiate synchronisation" and the hourly schedule
/// alike, and remembers how the last one ended in words. The pages poll <c>/sync/status</c> while one runs.
/// </summary>
public sealed partial class SyncRuns(TenantSync sync, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SyncRuns> logger)
{
    private readonly Lock _gate = new();
    private Task? _running;

    /// <summary>Gets when the run in progress started, or <see langword="null"/> when none is running.</summary>
    public DateTimeOffset? RunningSince { get; private set; }

    /// <summary>Gets what started the run in progress.</summary>
    public string? RunningTrigger { get; private set; }

    /// <summary>Gets how the last run that ended here went, in words; <see langword="null"/> before the first.</summary>
    public AdminMessage? LastResult { get; private set; }

    /// <summary>Gets when the last run that ended here ended.</summary>
    public DateTimeOffset? LastFinishedAt { get; private set; }

    /// <summary>Starts a run unless one is going; returns the run, or <see langword="null"/> when one was going.</summary>
    /// <param name="trigger">Who starts it, in words.</param>
    /// <param name="initiate">Whether it reads everyone.</param>
    /// <param name="kind">What starts it, recorded in the run history (the pages' "updated ... by").</param>
    public Task? TryStart(string trigger, bool initiate, SyncTrigger kind = SyncTrigger.Manual)
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false })
            {
                return null;
            }

            RunningSince = time.GetUtcNow();
            RunningTrigger = trigger;
            return _running = Task.Run(() => RunAsync(initiate, kind, lifetime.ApplicationStopping));
        }
    }

    private async Task RunAsync(bool initiate, SyncTrigger kind, CancellationToken cancellationToken)
    {
        AdminMessage result;
        try
        {
            var report = await sync.RunAsync(IntranetApp.TenantId, initiate, kind, cancellationToken);
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
        [LoggerMessage(1, LogLevel.Information, "Synchronisation {RunId} ended {Outcome} ({FailureKind}). Errors: {Errors} Warnings: {Warnings}")]
        public static partial void RunEnded(ILogger logger, string runId, SyncOutcome outcome, string? failureKind, string errors, string warnings);

        [LoggerMessage(2, LogLevel.Error, "Synchronisation crashed")]
        public static partial void RunCrashed(ILogger logger, Exception exception);
    }
}
