using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EntraSync.ChangeNotifications.Internal;

/// <summary>
/// Runs <see cref="ChangeSubscriptionManager.EnsureAllAsync"/> at start and every
/// <see cref="ChangeNotificationOptions.CheckInterval"/>, by the registered <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ChangeSubscriptionRenewalService(ChangeSubscriptionManager manager, IOptionsMonitor<ChangeNotificationOptions> options, TimeProvider time, IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wait until the host listens: creating a subscription makes Graph call the notification endpoint back.
        if (lifetime is not null)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                try
                {
                    await started.Task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

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
