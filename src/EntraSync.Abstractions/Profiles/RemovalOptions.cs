namespace EntraSync;

/// <summary>What happens to employees whose directory user was deleted or left the tenant's scope, and the guard against mass removal.</summary>
public sealed class RemovalOptions
{
    /// <summary>Gets or sets what happens to an employee whose user left.</summary>
    /// <value>The default is <see cref="RemovalMode.SoftDelete"/>.</value>
    public RemovalMode Mode { get; set; } = RemovalMode.SoftDelete;

    /// <summary>Gets or sets how long a soft-deleted employee is kept, deactivated, before it is purged.</summary>
    /// <value>The default is 90 days.</value>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Gets or sets a value indicating whether a user who is still in the directory but no longer passes the
    /// tenant's filters is removed like a deleted user. Set to <see langword="false"/> to leave such employees alone.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RemoveUsersOutOfScope { get; set; } = true;

    /// <summary>Gets or sets the most removals one run applies; above it, the run's removals are staged for approval.</summary>
    /// <value>The default is 500.</value>
    public int MaxRemovalsPerRun { get; set; } = 500;

    /// <summary>
    /// Gets or sets the largest share, in percent of the tenant's active linked employees, one run removes; above it,
    /// removals are staged for approval. Applies only from <see cref="PercentageGuardMinimum"/> removals, so a small
    /// team losing one person is not held back.
    /// </summary>
    /// <value>The default is 20 (percent).</value>
    public double MaxRemovalPercentPerRun { get; set; } = 20;

    /// <summary>Gets or sets how many removals a run must have before <see cref="MaxRemovalPercentPerRun"/> applies.</summary>
    /// <value>The default is 10.</value>
    public int PercentageGuardMinimum { get; set; } = 10;

    /// <summary>
    /// Gets or sets how long staged removals can be approved. After it they expire: approving them is refused, and
    /// the next full read stages again whoever is still missing, so an approval always acts on a recent read.
    /// </summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan StagedRemovalsLifetime { get; set; } = TimeSpan.FromDays(7);
}
