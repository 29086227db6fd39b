using EntraSync;
using EntraSync.ChangeNotifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Signatures.Xink.Integration;

/// <summary>
/// Near-real-time sync ("live updates"): Microsoft Graph posts a change notification to <see cref="Path"/> when a user
/// changes, and EntraSync runs the incremental sync a few seconds later (<c>MapEntraSyncNotifications</c>). Graph only
/// posts to a public HTTPS address, set as <c>ChangeNotifications:NotificationUrl</c>. Without one, the built-in demo
/// tenant (which runs on this machine) posts to this app's own loopback address, and real credentials have no live
/// updates: the sync every 2 hours and "Sync now" remain. The choice is made again when the connection changes or the
/// app starts listening, through the options' change token.
/// </summary>
public sealed partial class LiveUpdates(IConfiguration configuration, IServer server, IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<LiveUpdates> logger)
    : IConfigureOptions<ChangeNotificationOptions>, IOptionsChangeTokenSource<ChangeNotificationOptions>
{
    /// <summary>Where <c>MapEntraSyncNotifications</c> is mapped.</summary>
    public const string Path = "/entrasync/notifications";

    private readonly Lock _gate = new();
    private CancellationTokenSource _changed = new();
    private bool? _usesDemoTenant;

    /// <summary>Gets the public HTTPS notification address from the settings, or <see langword="null"/>.</summary>
    public string? PublicUrl { get; } = configuration["ChangeNotifications:NotificationUrl"] is { Length: > 0 } url ? url : null;

    /// <summary>Gets where Graph posts notifications now, or <see langword="null"/> when live updates are off.</summary>
    public string? NotificationUrl => PublicUrl ?? (_usesDemoTenant == true ? LoopbackUrl() : null);

    public string Name => Options.DefaultName;

    public void Configure(ChangeNotificationOptions options)
    {
        var url = NotificationUrl;
        options.Enabled = url is not null;
        options.NotificationUrl = url;
    }

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    /// <summary>The profile provider says which connection the account uses; a change turns live updates on or off now.</summary>
    public void UseConnection(bool demoTenant)
    {
        if (_usesDemoTenant != demoTenant)
        {
            // The first answer comes from the first profile read, usually the subscription check itself, which reads
            // the options right after: no extra check then. A later switch (demo <-> real) is acted on at once.
            var known = _usesDemoTenant is not null;
            _usesDemoTenant = demoTenant;
            Changed(ensureNow: known);
        }
    }

    /// <summary>The app listens now, so its loopback address is known (the subscription check that follows start-up uses it).</summary>
    public void Started() => Changed(ensureNow: false);

    private void Changed(bool ensureNow)
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _changed;
            _changed = new CancellationTokenSource();
        }

        old.Cancel();   // the options are read again
        old.Dispose();

        // Create or delete the subscription now rather than at the next hourly check.
        if (ensureNow && services.GetService<ChangeSubscriptionManager>() is { } manager)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await manager.EnsureAllAsync(lifetime.ApplicationStopping);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.CheckFailed(logger, ex);   // the hourly check tries again
                }
            });
        }
    }

    private string? LoopbackUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://localhost", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        return new UriBuilder(uri) { Path = Path }.Uri.ToString();
    }

    /// <summary>What the pages show about live updates, in words, for the connection the saved settings name.</summary>
    public async Task<string> DescribeAsync(bool usesDemoTenant, IChangeSubscriptionStore store, string accountId, TimeProvider time, CancellationToken cancellationToken)
    {
        UseConnection(usesDemoTenant);
        if (NotificationUrl is null)
        {
            return "Off: Microsoft Graph only sends changes to an address on the internet (HTTPS), and this app has none set, so changes arrive with the next sync (every 2 hours) or when you press Sync now. "
                + "To turn live updates on, whoever runs this app sets its public address for notifications (ChangeNotifications:NotificationUrl, ending in " + Path + ") and restarts it.";
        }

        var subscription = await store.GetAsync(accountId, cancellationToken);
        if (subscription is null)
        {
            return "Starting: waiting for Azure AD to confirm the subscription. If this stays, check the application log.";
        }

        var left = subscription.ExpiresAt - time.GetUtcNow();
        return $"On: a change in Azure AD reaches this list within seconds. The subscription lasts until {subscription.ExpiresAt.UtcDateTime:yyyy-MM-dd} ({Math.Max(0, (int)Math.Round(left.TotalDays))} days) and is renewed automatically while the app runs.";
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Bringing the change-notification subscription up to date after a connection change failed")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
