namespace EntraSync.ChangeNotifications;

/// <summary>
/// Microsoft Graph change notifications: a subscription on <c>/users</c> per tenant whose notifications trigger an
/// incremental run within seconds; the periodic run stays as the safety net. Off unless <see cref="Enabled"/>.
/// Bound from the <c>ChangeNotifications</c> section.
/// </summary>
public sealed class ChangeNotificationOptions
{
    /// <summary>The longest a subscription on directory resources (users) may last: 41,760 minutes (29 days).</summary>
    public static readonly TimeSpan MaxSubscriptionLifetime = TimeSpan.FromMinutes(41_760);

    /// <summary>
    /// Gets or sets a value indicating whether EntraSync creates subscriptions. Creating, renewing and deleting them
    /// are the only requests EntraSync sends to Graph that are not GET.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the public HTTPS URL Graph posts notifications to: where the host maps <c>MapEntraSyncNotifications</c>.</summary>
    /// <value>The default is <see langword="null"/>; required when <see cref="Enabled"/>.</value>
    public string? NotificationUrl { get; set; }

    /// <summary>
    /// Gets or sets the public HTTPS URL Graph posts lifecycle notifications to (<c>reauthorizationRequired</c>,
    /// <c>subscriptionRemoved</c>).
    /// </summary>
    /// <value>The default is <see langword="null"/>: <see cref="NotificationUrl"/> + <c>/lifecycle</c>.</value>
    public string? LifecycleNotificationUrl { get; set; }

    /// <summary>Gets the tenants that get a subscription; empty for every enabled tenant.</summary>
    /// <value>The default is empty (every enabled tenant).</value>
    public IList<string> Tenants { get; } = [];

    /// <summary>Gets or sets how long a subscription is asked to last, at most <see cref="MaxSubscriptionLifetime"/>.</summary>
    /// <value>The default is 41,760 minutes (29 days, Graph's maximum for users).</value>
    public TimeSpan SubscriptionLifetime { get; set; } = MaxSubscriptionLifetime;

    /// <summary>Gets or sets how long before it expires a subscription is renewed.</summary>
    /// <value>The default is 2 days.</value>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Gets or sets how often subscriptions are checked (created, renewed, re-created, deleted).</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long notifications for a tenant are gathered before its one incremental run starts.</summary>
    /// <value>The default is 3 seconds.</value>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets the URL lifecycle notifications go to.</summary>
    internal string? EffectiveLifecycleUrl => LifecycleNotificationUrl ?? (NotificationUrl is { } url ? url.TrimEnd('/') + "/lifecycle" : null);

    /// <summary>Gets whether a tenant gets a subscription: notifications are on, the tenant is enabled and listed in <see cref="Tenants"/> (or that list is empty).</summary>
    /// <param name="profile">The tenant's profile; <see langword="null"/> for a tenant that is gone.</param>
    /// <returns><see langword="true"/> when the tenant gets a subscription.</returns>
    public bool AppliesTo(SyncProfile? profile) =>
        Enabled && profile is { Enabled: true } && (Tenants.Count == 0 || Tenants.Contains(profile.TenantId, StringComparer.OrdinalIgnoreCase));
}
