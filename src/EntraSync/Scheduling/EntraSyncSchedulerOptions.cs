namespace EntraSync;

/// <summary>
/// The hosted scheduler that runs every enabled tenant on its profile's <see cref="SyncProfile.Schedule"/>. Bound from
/// the <c>EntraSync:Scheduler</c> section by <c>.AddScheduler(configuration)</c>; validated at start-up.
/// </summary>
public sealed class EntraSyncSchedulerOptions
{
    /// <summary>Gets or sets a value indicating whether the scheduler runs. Turn it off on hosts that only trigger runs by hand.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many tenants sync at once; due tenants wait for a free slot, earliest due first.</summary>
    /// <value>The default is 4.</value>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>
    /// Gets or sets the most a tenant's first scheduled run is delayed by a random amount, so that tenants added
    /// together (or a fleet after a deployment) do not all start at once. Later runs keep that offset.
    /// </summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan Jitter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the longest the scheduler sleeps between checks; it also wakes when a tenant falls due or a run ends.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how often the scheduler reads every profile from the <see cref="ISyncProfileProvider"/> to notice
    /// added, removed and changed tenants. Call <see cref="IEntraSyncScheduler.NotifyProfilesChanged"/> to notice sooner.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan ProfileRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how many runs in a row must fail for the same lasting reason (bad credentials, consent revoked,
    /// missing permission, invalid profile) before the tenant is quarantined: held back 1 hour, then 6, 12, 24 hours,
    /// then daily, until its profile changes or a manual run succeeds. Throttling, outages and cut-off reads never
    /// quarantine. Counted for manual runs too, so it applies without the scheduler.
    /// </summary>
    /// <value>The default is 3.</value>
    public int QuarantineAfterFailures { get; set; } = 3;
}
