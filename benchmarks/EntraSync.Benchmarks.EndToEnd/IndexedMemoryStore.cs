using System.Runtime.CompilerServices;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>
/// An in-memory employee store indexed the way a host's database is (by directory id and by email), so a lookup costs
/// the page, not the tenant. EntraSync.Testing's <c>InMemoryEmployeeStore</c> is a test fake that scans every employee
/// of the tenant on each lookup and each write batch (O(employees) per page, so O(n²) per full sync); measured with it
/// (<c>--store testing</c>) the store, not the engine, is what a full sync of 100k users costs.
/// </summary>
internal sealed class IndexedMemoryStore : IEmployeeStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);

    public int Count(string tenantId)
    {
        lock (_gate)
        {
            return _tenants.TryGetValue(tenantId, out var tenant) ? tenant.ByKey.Count : 0;
        }
    }

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredEmployee>>([]);
            }

            var found = new Dictionary<string, StoredEmployee>(StringComparer.Ordinal);
            foreach (var id in directoryIds)
            {
                if (tenant.ById.TryGetValue(id, out var key))
                {
                    found[key] = tenant.ByKey[key];
                }
            }

            foreach (var email in emails)
            {
                if (tenant.ByEmail.TryGetValue(email.Trim(), out var keys))
                {
                    foreach (var key in keys)
                    {
                        found[key] = tenant.ByKey[key];
                    }
                }
            }

            return ValueTask.FromResult<IReadOnlyList<StoredEmployee>>([.. found.Values]);
        }
    }

    public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<StoredEmployee> linked;
        lock (_gate)
        {
            linked = _tenants.TryGetValue(tenantId, out var tenant) ? [.. tenant.ByKey.Values.Where(e => e.DirectoryId is not null)] : [];
        }

        foreach (var employee in linked)
        {
            yield return employee;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                _tenants[tenantId] = tenant = new Tenant();
            }

            foreach (var change in changes)
            {
                var existing = change.Key is not null ? tenant.ByKey.GetValueOrDefault(change.Key)
                    : tenant.ById.TryGetValue(change.DirectoryId, out var linkedKey) ? tenant.ByKey[linkedKey] : null;
                switch (change.Kind)
                {
                    case EmployeeChangeKind.Create or EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate:
                        var record = change.Record!;
                        tenant.Put(existing, new StoredEmployee
                        {
                            Key = existing?.Key ?? (++tenant.LastKey).ToString(System.Globalization.CultureInfo.InvariantCulture),
                            DirectoryId = change.DirectoryId,
                            Email = record.Email,
                            ContentHash = change.ContentHash,
                            Fields = record.Fields,
                            Assignment = record.Assignment,
                            PhotoETag = record.PhotoETag,
                        });
                        break;
                    case EmployeeChangeKind.Deactivate when existing is not null:
                        tenant.Put(existing, new StoredEmployee
                        {
                            Key = existing.Key,
                            DirectoryId = existing.DirectoryId,
                            Email = existing.Email,
                            ContentHash = existing.ContentHash,
                            Fields = existing.Fields,
                            Assignment = existing.Assignment,
                            PhotoETag = existing.PhotoETag,
                            DeactivatedAt = existing.DeactivatedAt ?? change.Timestamp,
                        });
                        break;
                    case EmployeeChangeKind.Delete or EmployeeChangeKind.Purge when existing is not null:
                        tenant.Put(existing, null);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Tenant
    {
        public long LastKey;

        public Dictionary<string, StoredEmployee> ByKey { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> ById { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, List<string>> ByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Put(StoredEmployee? old, StoredEmployee? now)
        {
            if (old is not null)
            {
                ByKey.Remove(old.Key);
                if (old.DirectoryId is not null)
                {
                    ById.Remove(old.DirectoryId);
                }

                if (old.Email?.Trim() is { Length: > 0 } email && ByEmail.TryGetValue(email, out var keys))
                {
                    keys.Remove(old.Key);
                    if (keys.Count == 0)
                    {
                        ByEmail.Remove(email);
                    }
                }
            }

            if (now is not null)
            {
                ByKey[now.Key] = now;
                if (now.DirectoryId is not null)
                {
                    ById[now.DirectoryId] = now.Key;
                }

                if (now.Email?.Trim() is { Length: > 0 } email)
                {
                    if (!ByEmail.TryGetValue(email, out var keys))
                    {
                        ByEmail[email] = keys = [];
                    }

                    keys.Add(now.Key);
                }
            }
        }
    }
}
