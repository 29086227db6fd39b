namespace EntraSync.Cli.Hosting;

/// <summary>Counts what a run has done so far, for the progress line: pages and users read, changes written.</summary>
internal sealed class SyncProgress
{
    private int _pages;
    private int _users;
    private int _removed;
    private int _written;

    public event Action<SyncProgress>? Changed;

    public int Pages => Volatile.Read(ref _pages);

    public int Users => Volatile.Read(ref _users);

    public int Removed => Volatile.Read(ref _removed);

    public int Written => Volatile.Read(ref _written);

    public void PageRead(DirectoryPage page)
    {
        Interlocked.Increment(ref _pages);
        Interlocked.Add(ref _users, page.Users.Count);
        Interlocked.Add(ref _removed, page.Removed.Count);
        Changed?.Invoke(this);
    }

    public void ChangesWritten(int count)
    {
        Interlocked.Add(ref _written, count);
        Changed?.Invoke(this);
    }
}

/// <summary>Passes the directory through, counting pages and users.</summary>
internal sealed class ProgressDirectorySource(IDirectorySource inner, SyncProgress progress) : IDirectorySource, IDisposable
{
    public void Dispose() => (inner as IDisposable)?.Dispose();

    public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in inner.ReadUsersAsync(request, cancellationToken).ConfigureAwait(false))
        {
            progress.PageRead(page);
            yield return page;
        }
    }

    public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) =>
        inner.GetUserAsync(request, user, cancellationToken);

    public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) =>
        inner.GetPhotoAsync(request, userId, cancellationToken);

    // Forwarded, not left to the interface's default: the Graph source batches photo downloads (20 per request).
    public ValueTask<IReadOnlyList<DirectoryPhotoDownload>> GetPhotosAsync(DirectoryReadRequest request, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default) =>
        inner.GetPhotosAsync(request, userIds, cancellationToken);
}

/// <summary>Passes the store through, counting the changes written.</summary>
internal sealed class ProgressEmployeeStore(IEmployeeStore inner, SyncProgress progress) : IEmployeeStore, IDisposable
{
    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default) =>
        inner.FindAsync(tenantId, directoryIds, emails, cancellationToken);

    public IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, CancellationToken cancellationToken = default) =>
        inner.ReadLinkedAsync(tenantId, cancellationToken);

    public async ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        await inner.ApplyAsync(tenantId, changes, leaseGeneration, cancellationToken).ConfigureAwait(false);
        progress.ChangesWritten(changes.Count);
    }
}
