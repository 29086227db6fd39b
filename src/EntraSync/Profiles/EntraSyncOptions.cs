namespace EntraSync;

/// <summary>EntraSync's options: the tenants a single-tenant (or few-tenant) host configures in code or appsettings.</summary>
/// <remarks>
/// Bound from the <c>EntraSync</c> configuration section by
/// <see cref="Microsoft.Extensions.DependencyInjection.EntraSyncServiceCollectionExtensions.AddEntraUserSync(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.
/// A multi-tenant host registers its own <see cref="ISyncProfileProvider"/> instead.
/// </remarks>
public sealed class EntraSyncOptions
{
    /// <summary>Gets or sets the tenants' profiles.</summary>
    /// <value>The default is empty.</value>
    public IList<SyncProfile> Tenants { get; set; } = [];

    /// <summary>
    /// Gets or sets how long a tenant's run lease holds without renewal. A run renews its lease every third of this
    /// while it lives, so a run may take as long as it needs; a process that crashed stops renewing, and its tenant
    /// can sync again after at most this long. A run that cannot renew in time stops writing.
    /// </summary>
    /// <value>The default is 2 minutes. Allowed: 2 seconds to 1 hour.</value>
    public TimeSpan RunLeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many changes are written to the store in one batch.</summary>
    /// <value>The default is 1,000.</value>
    public int WriteBatchSize { get; set; } = 1_000;
}
