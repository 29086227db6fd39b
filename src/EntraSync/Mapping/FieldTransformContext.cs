namespace EntraSync.Mapping;

/// <summary>What a <see cref="IFieldTransform"/> knows about the value it transforms.</summary>
public sealed class FieldTransformContext
{
    /// <summary>Gets the field being mapped.</summary>
    public required FieldMapping Field { get; init; }

    /// <summary>Gets the directory user.</summary>
    public required DirectoryUser User { get; init; }

    /// <summary>Gets the run.</summary>
    public required SyncContext Sync { get; init; }
}
