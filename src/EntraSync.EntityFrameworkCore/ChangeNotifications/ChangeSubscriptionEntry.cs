namespace EntraSync.EntityFrameworkCore;

/// <summary>A row of <c>EntraSyncChangeSubscriptions</c>: one tenant's Graph change-notification subscription.</summary>
public sealed class ChangeSubscriptionEntry
{
    /// <summary>Gets or sets the tenant (the key: one subscription per tenant).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets Graph's subscription id.</summary>
    public string SubscriptionId { get; set; } = "";

    /// <summary>Gets or sets the watched resource.</summary>
    public string Resource { get; set; } = "";

    /// <summary>Gets or sets the change types.</summary>
    public string ChangeType { get; set; } = "";

    /// <summary>Gets or sets the notification URL.</summary>
    public string NotificationUrl { get; set; } = "";

    /// <summary>Gets or sets the lifecycle notification URL.</summary>
    public string? LifecycleNotificationUrl { get; set; }

    /// <summary>Gets or sets the secret client state.</summary>
    public string ClientState { get; set; } = "";

    /// <summary>Gets or sets when the subscription expires.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Gets or sets when it was created or last renewed.</summary>
    public DateTimeOffset RenewedAt { get; set; }
}
