using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EntraSync.ChangeNotifications.Internal;

/// <summary>
/// Runs <see cref="ChangeSubscriptionManager.EnsureAllAsync"/> at start and every
/// <see cref="ChangeNotificationOptions.CheckInterval"/>, by the registered <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ChangeSubscriptionRenewalService(ChangeSubscriptionManager manager, IOptionsMonitor<ChangeNotificationOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (the notification endpoint must answer Graph's validation request).
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            // Also when turned off: subscriptions left from before are deleted (nothing is sent when there are none).
            await manager.EnsureAllAsync(stoppingToken).ConfigureAwait(false);

            try
            {
                await Task.Delay(options.CurrentValue.CheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
