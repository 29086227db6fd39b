namespace EntraSync;

/// <summary>How to run one sync.</summary>
public sealed class SyncRunOptions
{
    /// <summary>Gets the kind of read.</summary>
    /// <value>The default is <see cref="SyncMode.Incremental"/> (which reads everything when there is no checkpoint yet).</value>
    public SyncMode Mode { get; init; } = SyncMode.Incremental;

    /// <summary>Gets a value indicating whether to plan only: the report lists what would change, and nothing is written.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DryRun { get; init; }

    /// <summary>Gets what started the run, for telemetry and for the schedule it updates.</summary>
    /// <value>The default is <see cref="SyncTrigger.Manual"/>.</value>
    public SyncTrigger Trigger { get; init; } = SyncTrigger.Manual;

    /// <summary>Gets the schedule slot a scheduled run is for; the next slot is counted from it so runs do not drift.</summary>
    internal DateTimeOffset? ScheduledFor { get; init; }
}
