namespace EntraSync.Connectivity;

/// <summary>The result of "Check connectivity" for one tenant: one entry per check, the tenant's name and domains, and a user count.</summary>
public sealed class ConnectivityReport
{
    /// <summary>Gets the tenant key of the profile that was checked.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the checks in the order they ran.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<ConnectivityCheck> Checks { get; init; } = [];

    /// <summary>Gets a value indicating whether sync can run: no check failed (warnings and skipped checks are allowed).</summary>
    public bool IsHealthy => Checks.All(c => c.Status != ConnectivityStatus.Failed);

    /// <summary>Gets the organization as Graph describes it, or <see langword="null"/> when it could not be read.</summary>
    public TenantInfo? Tenant { get; init; }

    /// <summary>Gets the number of users in scope (Graph's <c>$count</c>), or <see langword="null"/> when it could not be counted cheaply.</summary>
    public long? UsersInScope { get; init; }

    /// <summary>Gets the first failed check, or <see langword="null"/>.</summary>
    public ConnectivityCheck? FirstFailure => Checks.FirstOrDefault(c => c.Status == ConnectivityStatus.Failed);
}
