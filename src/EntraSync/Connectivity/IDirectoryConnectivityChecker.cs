namespace EntraSync.Connectivity;

/// <summary>Checks that a tenant's connection settings work ("Check connectivity"), and reads the tenant's name.</summary>
public interface IDirectoryConnectivityChecker
{
    /// <summary>
    /// Runs every check for the profile: token, organization, users, groups (when scoped by groups), photos (when
    /// enabled) and the OData filter. Never throws for directory problems: each is a failed check with its fix.
    /// </summary>
    /// <param name="profile">The tenant's profile.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>The report.</returns>
    Task<ConnectivityReport> CheckConnectivityAsync(SyncProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Reads the tenant's organization: display name and domains.</summary>
    /// <param name="profile">The tenant's profile.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The organization.</returns>
    /// <exception cref="DirectoryException">The organization could not be read; the message says why and what to fix.</exception>
    Task<TenantInfo> GetTenantInfoAsync(SyncProfile profile, CancellationToken cancellationToken = default);
}
