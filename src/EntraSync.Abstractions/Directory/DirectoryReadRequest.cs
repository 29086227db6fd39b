namespace EntraSync;

/// <summary>What a sync run asks a <see cref="IDirectorySource"/> to read.</summary>
public sealed class DirectoryReadRequest
{
    /// <summary>Gets the run's context: tenant, run id, profile.</summary>
    public required SyncContext Context { get; init; }

    /// <summary>Gets the kind of read wanted.</summary>
    /// <value>The default is <see cref="SyncMode.Full"/>.</value>
    public SyncMode Mode { get; init; } = SyncMode.Full;

    /// <summary>Gets the checkpoint the previous complete read returned, for an incremental read; otherwise <see langword="null"/>.</summary>
    public SyncCheckpoint? Checkpoint { get; init; }

    /// <summary>
    /// Gets the user properties the mapper, filter, matcher and email resolution need. A source selects exactly these
    /// (plus the id) so the directory sends nothing else.
    /// </summary>
    /// <value>The default is empty.</value>
    public IReadOnlyCollection<string> Properties { get; init; } = [];
}
