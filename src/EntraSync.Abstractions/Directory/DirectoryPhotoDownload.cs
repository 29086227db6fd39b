namespace EntraSync;

/// <summary>The outcome of downloading one user's photo in <see cref="IDirectorySource.GetPhotosAsync"/>.</summary>
public sealed class DirectoryPhotoDownload
{
    /// <summary>Gets the user's directory object id.</summary>
    public required string UserId { get; init; }

    /// <summary>Gets the photo with its bytes, or <see langword="null"/> when the user has none or the download failed.</summary>
    public DirectoryPhoto? Photo { get; init; }

    /// <summary>
    /// Gets why the download failed, or <see langword="null"/> when it did not (a user without a photo is not a failure).
    /// The engine keeps the stored photo and tries again next run.
    /// </summary>
    public DirectoryException? Error { get; init; }
}
