namespace EntraSync;

/// <summary>
/// Supplies tenants' profiles. A single-tenant host configures profiles in options; a multi-tenant host implements
/// this over its own database.
/// </summary>
public interface ISyncProfileProvider
{
    /// <summary>Gets one tenant's profile.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profile, or <see langword="null"/> when the tenant is unknown.</returns>
    ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Streams every tenant's profile (for the scheduler).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The profiles.</returns>
    IAsyncEnumerable<SyncProfile> GetProfilesAsync(CancellationToken cancellationToken = default);
}
