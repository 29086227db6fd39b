namespace Signatures.Xink.Integration;

/// <summary>
/// "It automatically updates every two hours": runs the account's sync on a timer and remembers when the next run is,
/// for the dashboard. A product with many accounts uses EntraSync's scheduler instead, which spreads tenants and
/// backs off after failures.
/// </summary>
public sealed partial class ScheduledSync(SyncRuns runs, TimeProvider time, ILogger<ScheduledSync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(2);

    public DateTimeOffset? NextRunAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            NextRunAt = time.GetUtcNow() + Interval;
            await Task.Delay(Interval, time, stoppingToken);
            if (!await runs.RunAndWaitAsync("the schedule", EntraSync.SyncTrigger.Schedule))
            {
                Log.AlreadyRunning(logger);   // "Sync now" is running; the next slot comes in two hours
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Scheduled sync skipped: a sync was already running")]
        public static partial void AlreadyRunning(ILogger logger);
    }
}
