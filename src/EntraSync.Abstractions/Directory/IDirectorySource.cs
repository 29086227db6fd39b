namespace EntraSync;

/// <summary>Reads a tenant's users from a directory (Microsoft Graph by default).</summary>
/// <remarks>
/// <para>
/// A source streams pages as they arrive so a run never holds the whole directory. The last page carries a
/// <see cref="DirectoryPage.Completion"/>; a stream that throws, is cancelled, or ends without it is an incomplete
/// read, and an incomplete read removes nobody.
/// </para>
/// <para>Sources only read: they never change the directory.</para>
/// </remarks>
public interface IDirectorySource
{
    /// <summary>Reads the users of the tenant in <paramref name="request"/>.</summary>
    /// <param name="request">What to read: tenant, mode, checkpoint and the properties the pipeline needs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pages, the last one carrying <see cref="DirectoryPage.Completion"/>.</returns>
    IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads one user by directory object id, user principal name or email, and says whether the tenant's directory
    /// scope includes them exactly as <see cref="ReadUsersAsync"/> would: a source that applies
    /// <see cref="DirectoryScopeOptions.ODataFilter"/> or <see cref="DirectoryScopeOptions.GroupIds"/> on a full read
    /// applies them here too, so a single-user sync never imports someone the next full read would remove.
    /// </summary>
    /// <param name="request">The tenant and properties to read; <see cref="DirectoryReadRequest.Mode"/> is ignored.</param>
    /// <param name="user">The object id, UPN or email.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The user and, when the scope excludes them, why (<see cref="DirectoryUserLookup.OutOfScope"/>); or
    /// <see cref="DirectoryUserLookup.NotFound"/> when the directory has no such user.
    /// </returns>
    ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default);

    /// <summary>Downloads a user's profile photo.</summary>
    /// <param name="request">The tenant.</param>
    /// <param name="userId">The directory object id.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The photo with its bytes, or <see langword="null"/> when the user has none.</returns>
    ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads several users' profile photos. A source that can fetch several photos in one round trip (the Graph
    /// source batches them) overrides this; the default calls <see cref="GetPhotoAsync"/> for each user, at most
    /// <see cref="PhotoOptions.MaxConcurrentRequests"/> at a time.
    /// </summary>
    /// <param name="request">The tenant.</param>
    /// <param name="userIds">The directory object ids.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>One outcome per user, in any order: the photo, none, or the <see cref="DirectoryException"/> that stopped it.</returns>
    async ValueTask<IReadOnlyList<DirectoryPhotoDownload>> GetPhotosAsync(DirectoryReadRequest request, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(userIds);
        var results = new DirectoryPhotoDownload[userIds.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Context.Profile.Photos.MaxConcurrentRequests), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, userIds.Count, parallel, async (i, ct) =>
        {
            try
            {
                results[i] = new DirectoryPhotoDownload { UserId = userIds[i], Photo = await GetPhotoAsync(request, userIds[i], ct).ConfigureAwait(false) };
            }
            catch (DirectoryException ex)
            {
                results[i] = new DirectoryPhotoDownload { UserId = userIds[i], Error = ex };
            }
        }).ConfigureAwait(false);
        return results;
    }
}
