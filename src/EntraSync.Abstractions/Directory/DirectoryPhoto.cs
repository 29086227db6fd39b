namespace EntraSync;

/// <summary>A user's profile photo as the directory describes it.</summary>
public sealed class DirectoryPhoto
{
    /// <summary>Gets the media ETag that changes whenever the photo changes (Graph's <c>@odata.mediaEtag</c>, quotes included).</summary>
    public required string ETag { get; init; }

    /// <summary>Gets the media type, for example <c>image/jpeg</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the photo's bytes, or <see langword="null"/> when they were not downloaded (the ETag did not change).</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }
}
