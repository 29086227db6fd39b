namespace EntraSync;

/// <summary>What EntraSync's health check counts as a tenant needing attention, and when that makes the app unhealthy.</summary>
public sealed class EntraSyncHealthCheckOptions
{
    /// <summary>Gets or sets how many runs in a row must fail before a tenant is reported as failing.</summary>
    /// <value>The default is 1.</value>
    public int FailingAfter { get; set; } = 1;

    /// <summary>
    /// Gets or sets how late a scheduled run may be before the tenant is reported as overdue (runs wait for a free
    /// slot under <see cref="EntraSyncSchedulerOptions.MaxConcurrentRuns"/>). Only checked when the scheduler is added and enabled.
    /// </summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan OverdueAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the share of enabled tenants (0 to 1) that must be failing, quarantined or overdue before the check
    /// reports the registration's failure status (unhealthy) rather than degraded. A few customers with revoked
    /// consent are their problem; most tenants failing at once is yours (network, credentials store, Graph outage).
    /// </summary>
    /// <value>The default is 0.5.</value>
    public double UnhealthyShare { get; set; } = 0.5;

    /// <summary>Gets or sets how many tenants each list in the result's data names.</summary>
    /// <value>The default is 20.</value>
    public int MaxTenantsListed { get; set; } = 20;
}
