using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.ChangeFeed.Internal;

/// <summary>
/// The hosted delivery loop: delivers a tenant's events as soon as a run committed a batch, every poll interval for
/// every tenant with retained events (at start, so an outbox left undelivered by a crash is delivered after the
/// restart; and other processes' runs), and retries failed handlers when their back-off passed. Waits on the
/// injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class ChangeFeedDeliveryService(
    ChangeFeedDelivery delivery,
    IEmployeeChangeFeed feed,
    IOptionsMonitor<ChangeFeedOptions> options,
    TimeProvider time,
    ILoggerFactory? loggerFactory = null) : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EntraSync.ChangeFeed");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPoll = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var tenants = new SortedSet<string>(delivery.TakePending(), StringComparer.Ordinal);
            try
            {
                if (now >= nextPoll)
                {
                    tenants.UnionWith(await feed.ReadTenantsAsync(stoppingToken).ConfigureAwait(false));
                    nextPoll = now + options.CurrentValue.PollInterval;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.PollFailed(_logger, ex);
            }

            tenants.UnionWith(delivery.DueForRetry(now));
            foreach (var tenant in tenants)
            {
                try
                {
                    await delivery.DeliverAsync(tenant, honourBackOff: true, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The feed itself failed (a database away): the tenant is polled again.
                    Log.DeliveryFailed(_logger, ex, tenant);
                }
            }

            var wakeAt = delivery.NextRetryAt is { } retry && retry < nextPoll ? retry : nextPoll;
            try
            {
                await delivery.WaitAsync(wakeAt - time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Reading the change feed's tenants failed; trying again at the next poll.")]
        public static partial void PollFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Delivering the change feed of tenant {TenantId} failed; trying again at the next poll.")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string tenantId);
    }
}
