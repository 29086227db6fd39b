namespace EntraSync.Testing.Emulator;

/// <summary>Change-notification subscriptions (<c>/v1.0/subscriptions</c>).</summary>
public sealed partial class GraphEmulator
{
    private EmulatedSubscriptions? _subscriptions;

    /// <summary>
    /// Gets the change-notification subscriptions the emulator holds, with the controls tests need: expire one, send a
    /// lifecycle notification, and how many notifications were delivered or failed.
    /// </summary>
    public EmulatedSubscriptions Subscriptions => LazyInitializer.EnsureInitialized(ref _subscriptions, () => new EmulatedSubscriptions(this));

    private async ValueTask DisposeSubscriptionsAsync()
    {
        if (_subscriptions is { } subscriptions)
        {
            await subscriptions.DisposeAsync().ConfigureAwait(false);
        }
    }
}
