namespace EntraSync;

/// <summary>How a directory read ended: whether it saw everything, and what to keep for the next run.</summary>
public sealed class DirectoryReadCompletion
{
    /// <summary>
    /// Gets a value indicating whether the pages enumerate every user in scope (a full read), so that a linked
    /// employee who was not seen has left the directory. <see langword="false"/> for incremental (delta) reads,
    /// where only <see cref="DirectoryPage.Removed"/> entries and scope exits remove anyone.
    /// </summary>
    public required bool IsFullEnumeration { get; init; }

    /// <summary>Gets the checkpoint to keep for the next incremental read, or <see langword="null"/> when the source has none.</summary>
    public SyncCheckpoint? Checkpoint { get; init; }

    /// <summary>Gets why the source read everything although an incremental read was asked for (for example an expired delta token).</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Gets warnings the source wants in the report.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
