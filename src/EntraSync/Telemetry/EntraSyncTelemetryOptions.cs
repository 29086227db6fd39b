namespace EntraSync;

/// <summary>What EntraSync puts on its metrics.</summary>
public sealed class EntraSyncTelemetryOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether metrics carry the <see cref="EntraSyncTelemetryTags.TenantId"/> tag. Each
    /// tenant then makes its own time series, which suits tens of tenants, not thousands; activities (traces) and logs
    /// carry the tenant id either way.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool IncludeTenantIdInMetrics { get; set; }
}
