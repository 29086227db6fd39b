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
}
