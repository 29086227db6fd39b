namespace EntraSync;

/// <summary>When the scheduler runs a tenant.</summary>
public sealed class ScheduleOptions
{
    /// <summary>Gets or sets the time between incremental runs.</summary>
    /// <value>The default is 2 hours.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets the time between full reads; <see cref="TimeSpan.Zero"/> for never.</summary>
    /// <value>The default is 1 day.</value>
    public TimeSpan FullSyncInterval { get; set; } = TimeSpan.FromDays(1);
}
