namespace EntraSync;

/// <summary>What every part of one sync run knows about it: the tenant, the run, the profile.</summary>
public sealed class SyncContext
{
    /// <summary>Gets the tenant (the host's key for the customer's directory).</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run's id, unique per run; appears in logs and in the report.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the tenant's settings for this run.</summary>
    public required SyncProfile Profile { get; init; }

    /// <summary>Gets the kind of read the run asked for.</summary>
    /// <value>The default is <see cref="SyncMode.Incremental"/>.</value>
    public SyncMode Mode { get; init; } = SyncMode.Incremental;

    /// <summary>Gets a value indicating whether the run only plans and writes nothing.</summary>
    public bool IsDryRun { get; init; }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets a place for components to keep per-run state (for example a catalog loaded once per run).</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
