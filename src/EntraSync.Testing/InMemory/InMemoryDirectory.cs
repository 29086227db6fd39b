using System.Globalization;
using System.Runtime.CompilerServices;

namespace EntraSync.Testing;

/// <summary>
/// An <see cref="IDirectorySource"/> in memory: a directory you change in code, read in pages, with incremental reads
/// (a version number as checkpoint) and removals, and knobs to fail or cut a read short. For engine tests and
/// demos; use the Graph emulator to test Graph behaviour.
/// </summary>
public sealed class InMemoryDirectory : IDirectorySource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantData> _tenants = new(StringComparer.Ordinal);

    /// <summary>Gets or sets how many users a page holds.</summary>
    /// <value>The default is 100.</value>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets an exception to throw after this many pages of the next read (then cleared); <see langword="null"/> for none.</summary>
    public (int AfterPages, Exception Error)? FailNextRead { get; set; }

    /// <summary>Gets or sets a value indicating whether the next read ends without a completion (a stream cut short); cleared after use.</summary>
    public bool CutNextReadShort { get; set; }

    /// <summary>Gets how many reads were made.</summary>
    public int Reads { get; private set; }

    /// <summary>Adds or replaces a user.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="user">The user.</param>
    public void Upsert(string tenantId, DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            var tenant = Tenant(tenantId);
            tenant.Users[user.Id] = user;
            tenant.Changes.Add((++tenant.Version, user.Id, null));
        }
    }

    /// <summary>Adds or replaces a user built from properties.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The object id.</param>
    /// <param name="properties">Graph property names and values (strings, Booleans, numbers, string arrays, or <see langword="null"/>).</param>
    public void Upsert(string tenantId, string id, IReadOnlyDictionary<string, object?> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var values = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in properties)
        {
            values[name] = value switch
            {
                null => DirectoryValue.Null,
                string s => DirectoryValue.FromString(s),
                bool b => DirectoryValue.FromBoolean(b),
                IEnumerable<string> list => DirectoryValue.FromList(list.ToList()),
                IConvertible c => DirectoryValue.FromNumber(c.ToDouble(CultureInfo.InvariantCulture)),
                _ => DirectoryValue.FromString(value.ToString()),
            };
        }

        Upsert(tenantId, new DirectoryUser { Id = id, Properties = values });
    }

    /// <summary>Removes a user, as a soft or hard delete in the directory.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The object id.</param>
    /// <param name="reason">How it was removed.</param>
    /// <returns><see langword="true"/> when the user existed.</returns>
    public bool Remove(string tenantId, string id, DirectoryRemovalReason reason = DirectoryRemovalReason.SoftDeleted)
    {
        lock (_gate)
        {
            var tenant = Tenant(tenantId);
            if (!tenant.Users.Remove(id))
            {
                return false;
            }

            tenant.Changes.Add((++tenant.Version, id, reason));
            return true;
        }
    }

    /// <summary>Gets a snapshot of a tenant's users.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The users.</returns>
    public IReadOnlyList<DirectoryUser> GetUsers(string tenantId)
    {
        lock (_gate)
        {
            return Tenant(tenantId).Users.Values.ToList();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<DirectoryUser> users;
        List<DirectoryRemoval> removed = [];
        long version;
        var full = request.Mode == SyncMode.Full || request.Checkpoint is null
            || !long.TryParse(request.Checkpoint.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var since);
        (int AfterPages, Exception Error)? fail;
        bool cut;
        lock (_gate)
        {
            Reads++;
            fail = FailNextRead;
            FailNextRead = null;
            cut = CutNextReadShort;
            CutNextReadShort = false;
            var tenant = Tenant(request.Context.TenantId);
            version = tenant.Version;
            if (full)
            {
                users = tenant.Users.Values.ToList();
            }
            else
            {
                _ = long.TryParse(request.Checkpoint!.Value, NumberStyles.None, CultureInfo.InvariantCulture, out since);
                var changed = tenant.Changes.Where(c => c.Version > since).Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
                users = changed.Where(tenant.Users.ContainsKey).Select(id => tenant.Users[id]).ToList();
                removed = changed.Where(id => !tenant.Users.ContainsKey(id))
                    .Select(id => new DirectoryRemoval { Id = id, Reason = tenant.Changes.Last(c => c.Id == id).Removal ?? DirectoryRemovalReason.Deleted })
                    .ToList();
            }
        }

        var pages = 0;
        for (var start = 0; start < users.Count || start == 0; start += PageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (fail is { } f && pages == f.AfterPages)
            {
                throw f.Error;
            }

            var isLast = start + PageSize >= users.Count;
            if (isLast && cut)
            {
                yield return new DirectoryPage { Users = users.Skip(start).Take(PageSize).ToList() };
                yield break;
            }

            yield return new DirectoryPage
            {
                Users = users.Skip(start).Take(PageSize).ToList(),
                Removed = isLast ? removed : [],
                Completion = isLast
                    ? new DirectoryReadCompletion
                    {
                        IsFullEnumeration = full,
                        Checkpoint = new SyncCheckpoint { Value = version.ToString(CultureInfo.InvariantCulture) },
                    }
                    : null,
            };
            pages++;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    /// <remarks>Like its full reads, this directory has no server-side scope: a user it has is always in scope.</remarks>
    public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var tenant = Tenant(request.Context.TenantId);
            var found = tenant.Users.GetValueOrDefault(user) ?? tenant.Users.Values.FirstOrDefault(u =>
                string.Equals(u.GetString("userPrincipalName"), user, StringComparison.OrdinalIgnoreCase)
                || string.Equals(u.GetString("mail"), user, StringComparison.OrdinalIgnoreCase));
            return ValueTask.FromResult(found is null ? DirectoryUserLookup.NotFound : DirectoryUserLookup.InScope(found));
        }
    }

    /// <inheritdoc />
    public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return ValueTask.FromResult(Tenant(request.Context.TenantId).Users.GetValueOrDefault(userId)?.Photo);
        }
    }

    private TenantData Tenant(string tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            _tenants[tenantId] = tenant = new TenantData();
        }

        return tenant;
    }

    private sealed class TenantData
    {
        public Dictionary<string, DirectoryUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<(long Version, string Id, DirectoryRemovalReason? Removal)> Changes { get; } = [];

        public long Version { get; set; }
    }
}
