namespace EntraSync;

/// <summary>What a directory source keeps between runs to read only changes next time (for Graph, the delta link).</summary>
public sealed class SyncCheckpoint
{
    /// <summary>Gets the source's opaque position (for Graph, the <c>@odata.deltaLink</c>).</summary>
    public required string Value { get; init; }

    /// <summary>
    /// Gets a fingerprint of what the read selected and filtered. When the profile changes what is read, the
    /// fingerprint differs and the next run does a full read instead of continuing from this checkpoint.
    /// </summary>
    public string? Fingerprint { get; init; }

    /// <summary>Gets when the checkpoint was taken.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the last complete full read finished, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastFullReadAt { get; init; }
}
