namespace Signatures.Xink.Integration;

/// <summary>
/// "It automatically updates every two hours": runs the account's sync on a timer and remembers when the next run is,
/// for the dashboard. A product with many accounts uses EntraSync's scheduler instead, which spreads tenants and
/// backs off after failures.
/// </summary>
public sealed class ScheduledSync(AccountSync sync, TimeProvider time, ILogger<ScheduledSync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(2);

    public DateTimeOffset? NextRunAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            NextRunAt = time.GetUtcNow() + Interval;
            await Task.Delay(Interval, time, stoppingToken);
            try
            {
                var report = await sync.RunAsync(SignaturesApp.AccountId, stoppingToken);
                logger.LogInformation("Scheduled sync: {Report}", report);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Scheduled sync failed");
            }
        }
    }
}
