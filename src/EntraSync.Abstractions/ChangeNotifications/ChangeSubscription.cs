namespace EntraSync;

/// <summary>
/// A tenant's Microsoft Graph change-notification subscription on <c>/users</c>, as EntraSync created it: Graph's id,
/// when it expires, and the secret <see cref="ClientState"/> every notification for it must carry.
/// </summary>
public sealed class ChangeSubscription
{
    /// <summary>Gets the tenant the subscription watches.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the subscription's id as Graph assigned it.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>Gets the watched resource.</summary>
    /// <value>The default is <c>/users</c>.</value>
    public string Resource { get; init; } = "/users";

    /// <summary>Gets the change types notified, comma-separated as Graph takes them.</summary>
    /// <value>The default is <c>updated,deleted</c>.</value>
    public string ChangeType { get; init; } = "updated,deleted";

    /// <summary>Gets the URL Graph posts notifications to.</summary>
    public required string NotificationUrl { get; init; }

    /// <summary>Gets the URL Graph posts lifecycle notifications to, or <see langword="null"/>.</summary>
    public string? LifecycleNotificationUrl { get; init; }

    /// <summary>
    /// Gets the secret sent with the subscription and echoed in every notification (at most 128 characters, random per
    /// subscription). A notification whose client state differs is not from Graph and is dropped.
    /// </summary>
    public required string ClientState { get; init; }

    /// <summary>Gets when Graph ends the subscription unless it is renewed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets when the subscription was created or last renewed.</summary>
    public required DateTimeOffset RenewedAt { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId} subscription {SubscriptionId} on {Resource} until {ExpiresAt:u}";
}
