namespace EntraSync.Testing.Emulator;

/// <summary>A change-notification subscription as the emulator holds it (Graph's subscription resource).</summary>
public sealed class EmulatedSubscription
{
    internal EmulatedSubscription()
    {
    }

    /// <summary>Gets the subscription id.</summary>
    public string Id { get; internal init; } = "";

    /// <summary>Gets the tenant whose token created it.</summary>
    public string TenantId { get; internal init; } = "";

    /// <summary>Gets the watched resource, e.g. <c>/users</c>.</summary>
    public string Resource { get; internal init; } = "";

    /// <summary>Gets the change types, comma-separated (<c>created</c>, <c>updated</c>, <c>deleted</c>).</summary>
    public string ChangeType { get; internal init; } = "";

    /// <summary>Gets where notifications go.</summary>
    public string NotificationUrl { get; internal set; } = "";

    /// <summary>Gets where lifecycle notifications go, or <see langword="null"/>.</summary>
    public string? LifecycleNotificationUrl { get; internal init; }

    /// <summary>Gets the client state echoed in every notification.</summary>
    public string? ClientState { get; internal init; }

    /// <summary>Gets when it expires; after that the emulator behaves as if it were deleted.</summary>
    public DateTimeOffset ExpirationDateTime { get; internal set; }

    internal bool Covers(string changeType) =>
        ChangeType.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(changeType, StringComparer.OrdinalIgnoreCase);

    internal EmulatedSubscription Copy() => (EmulatedSubscription)MemberwiseClone();
}
