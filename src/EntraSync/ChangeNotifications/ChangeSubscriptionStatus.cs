namespace EntraSync.ChangeNotifications;

/// <summary>
/// A tenant's change-notification subscription as the <see cref="IChangeSubscriptionStore"/> and Microsoft Graph see it
/// (<see cref="ChangeSubscriptionManager.GetStatusAsync"/>): for a health page, or <c>entrasync check</c>.
/// </summary>
public sealed class ChangeSubscriptionStatus
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets when the status was taken.</summary>
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>
    /// Gets a value indicating whether this app's options give the tenant a subscription
    /// (<see cref="ChangeNotificationOptions.AppliesTo"/>). A tool that only inspects a host's subscriptions has no
    /// such options and reads <see langword="false"/>.
    /// </summary>
    public bool Covered { get; init; }

    /// <summary>Gets the subscription the store keeps, or <see langword="null"/>.</summary>
    public ChangeSubscription? Stored { get; init; }

    /// <summary>Gets the subscription's id: the stored one, or the one Graph lists on <c>/users</c> when the store keeps none.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>
    /// Gets a value indicating whether Microsoft Graph has the subscription: <see langword="null"/> when Graph was not
    /// asked or could not be read (<see cref="GraphError"/> says why).
    /// </summary>
    public bool? OnGraph { get; init; }

    /// <summary>Gets when the subscription expires: Graph's answer when it was read, otherwise the stored value.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the URL Graph posts the subscription's notifications to.</summary>
    public string? NotificationUrl { get; init; }

    /// <summary>Gets why Microsoft Graph could not be read, or <see langword="null"/>.</summary>
    public string? GraphError { get; init; }

    /// <summary>Gets a value indicating whether the subscription expires within <see cref="ChangeNotificationOptions.RenewBefore"/> (so the next check renews it).</summary>
    public bool RenewalDue { get; init; }

    /// <summary>Gets how long until the subscription expires; negative once it has.</summary>
    public TimeSpan? TimeLeft => ExpiresAt - CheckedAt;
}
