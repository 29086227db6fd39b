using System.Collections.Concurrent;
using System.Security.Cryptography;
using EntraSync.Graph;
using EntraSync.Graph.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraSync.ChangeNotifications;

/// <summary>
/// Keeps each tenant's Microsoft Graph subscription on <c>/users</c> alive: creates it, renews it before it expires,
/// re-creates it when Graph no longer has it, and deletes it when the tenant is disabled, removed or left out of
/// <see cref="ChangeNotificationOptions.Tenants"/>. These are the only requests EntraSync sends to Graph that are not
/// GET. Every subscription gets its own random client state, kept in the <see cref="IChangeSubscriptionStore"/>.
/// </summary>
public sealed partial class ChangeSubscriptionManager : IDisposable
{
    private readonly IChangeSubscriptionStore _store;
    private readonly ISyncProfileProvider _profiles;
    private readonly IOptionsMonitor<ChangeNotificationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GraphClientProvider _clients;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _tenantLocks = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Initializes a new instance of the <see cref="ChangeSubscriptionManager"/> class.</summary>
    /// <param name="store">Where subscriptions are kept.</param>
    /// <param name="profiles">The tenants' profiles (credentials, enabled or not).</param>
    /// <param name="options">The change-notification options.</param>
    /// <param name="graphOptions">The Graph source's settings (credentials factory, retries, handler).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public ChangeSubscriptionManager(
        IChangeSubscriptionStore store,
        ISyncProfileProvider profiles,
        IOptionsMonitor<ChangeNotificationOptions> options,
        IOptions<GraphSourceOptions> graphOptions,
        TimeProvider time,
        ILogger<ChangeSubscriptionManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(graphOptions);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _profiles = profiles;
        _options = options;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clients = new GraphClientProvider(graphOptions, time, _logger);
    }

    /// <summary>
    /// Brings every tenant's subscription to where it should be: each covered tenant has a live one (created or renewed
    /// as needed), and tenants no longer covered have none. A failure for one tenant is logged and does not stop the others.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when every tenant was handled.</returns>
    public async Task EnsureAllAsync(CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var profile in _profiles.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
        {
            seen.Add(profile.TenantId);
            await TryAsync(profile.TenantId, ct => EnsureAsync(profile.TenantId, ct), cancellationToken).ConfigureAwait(false);
        }

        var orphans = new List<string>();
        await foreach (var subscription in _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Contains(subscription.TenantId))
            {
                orphans.Add(subscription.TenantId);
            }
        }

        foreach (var tenantId in orphans)
        {
            await TryAsync(tenantId, ct => DeleteAsync(tenantId, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Brings one tenant's subscription to where it should be: created when missing, renewed when it expires within
    /// <see cref="ChangeNotificationOptions.RenewBefore"/>, re-created when Graph no longer has it, deleted when the
    /// tenant is not covered.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The tenant's live subscription, or <see langword="null"/> when it should have none.</returns>
    /// <exception cref="DirectoryException">Graph refused or could not be reached; the message says why.</exception>
    public async Task<ChangeSubscription?> EnsureAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        using var tenantLock = await LockAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var (profile, options) = await CoveredAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            return null;
        }

        var current = await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (current is null || current.ExpiresAt <= now || !SameUrls(current, options))
        {
            if (current is not null)
            {
                await DeleteOnGraphAsync(profile, current, cancellationToken).ConfigureAwait(false);
            }

            return await CreateAsync(profile, options, cancellationToken).ConfigureAwait(false);
        }

        return current.ExpiresAt - now <= options.RenewBefore
            ? await RenewAsync(profile, current, options, cancellationToken).ConfigureAwait(false)
            : current;
    }

    /// <summary>
    /// Renews a tenant's subscription now (a <c>reauthorizationRequired</c> lifecycle notification asks for this);
    /// re-creates it when Graph no longer has it.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The renewed subscription, or <see langword="null"/> when the tenant should have none.</returns>
    /// <exception cref="DirectoryException">Graph refused or could not be reached.</exception>
    public async Task<ChangeSubscription?> RenewAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        using var tenantLock = await LockAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var (profile, options) = await CoveredAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            return null;
        }

        var current = await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return current is null
            ? await CreateAsync(profile, options, cancellationToken).ConfigureAwait(false)
            : await RenewAsync(profile, current, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a tenant's subscription afresh (a <c>subscriptionRemoved</c> lifecycle notification asks for this).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The new subscription, or <see langword="null"/> when the tenant should have none.</returns>
    /// <exception cref="DirectoryException">Graph refused or could not be reached.</exception>
    public async Task<ChangeSubscription?> RecreateAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        using var tenantLock = await LockAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var (profile, options) = await CoveredAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            return null;
        }

        if (await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is { } current)
        {
            await DeleteOnGraphAsync(profile, current, cancellationToken).ConfigureAwait(false);
        }

        return await CreateAsync(profile, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a tenant's subscription on Graph (when its profile still gives credentials) and forgets it. A tenant
    /// whose profile is gone cannot be asked; its subscription is forgotten and Graph ends it when it expires.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see langword="true"/> when the tenant had a subscription.</returns>
    public async Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        using var tenantLock = await LockAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return await DeleteCoreAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _clients.Dispose();

    /// <summary>The work of <see cref="DeleteAsync"/>, for a caller that holds the tenant's lock.</summary>
    private async Task<bool> DeleteCoreAsync(string tenantId, CancellationToken cancellationToken)
    {
        var current = await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return false;
        }

        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is not null)
        {
            try
            {
                await DeleteOnGraphAsync(profile, current, cancellationToken).ConfigureAwait(false);
            }
            catch (DirectoryException ex)
            {
                Log.DeleteFailed(_logger, tenantId, current.SubscriptionId, ex.Message);
            }
        }

        await _store.RemoveAsync(tenantId, cancellationToken).ConfigureAwait(false);
        Log.Deleted(_logger, tenantId, current.SubscriptionId);
        return true;
    }

    /// <summary>
    /// Waits until every subscription operation in progress now has ended, so a notification that arrives for a
    /// subscription Graph has just created (before its id was stored) can be looked up again instead of dropped.
    /// </summary>
    internal async Task WhenSettledAsync(CancellationToken cancellationToken)
    {
        foreach (var tenantLock in _tenantLocks.Values)
        {
            if (tenantLock.CurrentCount == 0)
            {
                await tenantLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                tenantLock.Release();
            }
        }
    }

    /// <summary>One operation per tenant at a time: two checks at once would otherwise create two subscriptions.</summary>
    private async Task<TenantLock> LockAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenantLock = _tenantLocks.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await tenantLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new TenantLock(tenantLock);
    }

    private readonly struct TenantLock(SemaphoreSlim held) : IDisposable
    {
        public void Dispose() => held.Release();
    }

    /// <summary>A fresh client state: 64 hex characters (256 random bits), under Graph's 128-character limit.</summary>
    internal static string NewClientState() => RandomNumberGenerator.GetHexString(64, lowercase: true);

    /// <summary>Gets the tenant's profile when it should have a subscription; otherwise deletes the one it has and returns no profile.</summary>
    private async Task<(SyncProfile? Profile, ChangeNotificationOptions Options)> CoveredAsync(string tenantId, CancellationToken cancellationToken)
    {
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var options = _options.CurrentValue;
        if (options.AppliesTo(profile))
        {
            return (profile, options);
        }

        // The callers hold the tenant's lock.
        await DeleteCoreAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return (null, options);
    }

    private static bool SameUrls(ChangeSubscription current, ChangeNotificationOptions options) =>
        string.Equals(current.NotificationUrl, options.NotificationUrl, StringComparison.Ordinal)
        && string.Equals(current.LifecycleNotificationUrl, options.EffectiveLifecycleUrl, StringComparison.Ordinal);

    private static bool IsGone(Exception ex) => ex is ODataError { ResponseStatusCode: 404 } or Microsoft.Kiota.Abstractions.ApiException { ResponseStatusCode: 404 };

    private async Task<ChangeSubscription> CreateAsync(SyncProfile profile, ChangeNotificationOptions options, CancellationToken cancellationToken)
    {
        var client = _clients.GetClient(profile);
        var clientState = NewClientState();
        var expires = _time.GetUtcNow() + options.SubscriptionLifetime;
        Subscription? created;
        try
        {
            created = await client.Subscriptions.PostAsync(
                new Subscription
                {
                    ChangeType = "updated,deleted",
                    Resource = "/users",
                    NotificationUrl = options.NotificationUrl,
                    LifecycleNotificationUrl = options.EffectiveLifecycleUrl,
                    ExpirationDateTime = expires,
                    ClientState = clientState,
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Translate(ex, profile, "creating the change-notification subscription on /users");
        }

        var subscription = new ChangeSubscription
        {
            TenantId = profile.TenantId,
            SubscriptionId = created?.Id ?? throw new DirectoryException($"Microsoft Graph created a subscription for tenant {profile.TenantId} without an id.", DirectoryErrorKind.InvalidResponse),
            NotificationUrl = options.NotificationUrl!,
            LifecycleNotificationUrl = options.EffectiveLifecycleUrl,
            ClientState = clientState,
            ExpiresAt = created.ExpirationDateTime ?? expires,
            RenewedAt = _time.GetUtcNow(),
        };
        await _store.SaveAsync(subscription, cancellationToken).ConfigureAwait(false);
        Log.Created(_logger, profile.TenantId, subscription.SubscriptionId, subscription.ExpiresAt);
        return subscription;
    }

    private async Task<ChangeSubscription> RenewAsync(SyncProfile profile, ChangeSubscription current, ChangeNotificationOptions options, CancellationToken cancellationToken)
    {
        var client = _clients.GetClient(profile);
        var expires = _time.GetUtcNow() + options.SubscriptionLifetime;
        Subscription? renewed;
        try
        {
            renewed = await client.Subscriptions[current.SubscriptionId].PatchAsync(new Subscription { ExpirationDateTime = expires }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsGone(ex))
        {
            Log.Gone(_logger, profile.TenantId, current.SubscriptionId);
            return await CreateAsync(profile, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Translate(ex, profile, "renewing the change-notification subscription");
        }

        var subscription = new ChangeSubscription
        {
            TenantId = current.TenantId,
            SubscriptionId = current.SubscriptionId,
            Resource = current.Resource,
            ChangeType = current.ChangeType,
            NotificationUrl = current.NotificationUrl,
            LifecycleNotificationUrl = current.LifecycleNotificationUrl,
            ClientState = current.ClientState,
            ExpiresAt = renewed?.ExpirationDateTime ?? expires,
            RenewedAt = _time.GetUtcNow(),
        };
        await _store.SaveAsync(subscription, cancellationToken).ConfigureAwait(false);
        Log.Renewed(_logger, profile.TenantId, subscription.SubscriptionId, subscription.ExpiresAt);
        return subscription;
    }

    private async Task DeleteOnGraphAsync(SyncProfile profile, ChangeSubscription current, CancellationToken cancellationToken)
    {
        try
        {
            await _clients.GetClient(profile).Subscriptions[current.SubscriptionId].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsGone(ex))
        {
            // Already gone: nothing to delete.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Translate(ex, profile, "deleting the change-notification subscription");
        }
    }

    private static DirectoryException Translate(Exception ex, SyncProfile profile, string doing) =>
        ex as DirectoryException ?? new DirectoryException(
            $"Microsoft Graph refused or failed {doing} for tenant {profile.TenantId}: {(ex is ODataError odata ? $"{odata.ResponseStatusCode} {odata.Error?.Code}: {odata.Error?.Message}" : ex.Message)}. "
                + "Check that the app has User.Read.All (application) and that ChangeNotifications:NotificationUrl is reachable from the internet and answers the validation request.",
            ex is ODataError { ResponseStatusCode: 403 } ? DirectoryErrorKind.PermissionMissing : DirectoryErrorKind.InvalidResponse,
            ex);

    private async Task TryAsync(string tenantId, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryException ex)
        {
            Log.Failed(_logger, tenantId, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Tenant {TenantId}: change-notification subscription {SubscriptionId} created, expires {ExpiresAt:u}")]
        public static partial void Created(ILogger logger, string tenantId, string subscriptionId, DateTimeOffset expiresAt);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Tenant {TenantId}: change-notification subscription {SubscriptionId} renewed, expires {ExpiresAt:u}")]
        public static partial void Renewed(ILogger logger, string tenantId, string subscriptionId, DateTimeOffset expiresAt);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Tenant {TenantId}: change-notification subscription {SubscriptionId} is gone from Graph; creating a new one")]
        public static partial void Gone(ILogger logger, string tenantId, string subscriptionId);

        [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Tenant {TenantId}: change-notification subscription {SubscriptionId} deleted")]
        public static partial void Deleted(ILogger logger, string tenantId, string subscriptionId);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Tenant {TenantId}: deleting change-notification subscription {SubscriptionId} on Graph failed ({Reason}); it is forgotten and ends when it expires")]
        public static partial void DeleteFailed(ILogger logger, string tenantId, string subscriptionId, string reason);

        [LoggerMessage(EventId = 8006, Level = LogLevel.Warning, Message = "Tenant {TenantId}: change-notification subscription not brought up to date: {Reason}")]
        public static partial void Failed(ILogger logger, string tenantId, string reason);
    }
}
