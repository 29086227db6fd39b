using System.Runtime.CompilerServices;

namespace EntraSync.Testing;

/// <summary>
/// An <see cref="IEmployeeStore"/> in memory, for tests, samples and demos. Thread-safe; each batch is applied all or
/// nothing. It counts writes so tests can prove an unchanged directory costs none.
/// </summary>
/// <remarks>
/// Writes are fenced (see <see cref="IEmployeeStore.ApplyAsync"/>): by the leases of the <see cref="InMemorySyncStateStore"/>
/// given to the constructor (as <c>AddInMemoryStores()</c> wires them), or, without one, by the highest lease
/// generation the store has accepted per tenant (an older one is refused).
/// </remarks>
public sealed class InMemoryEmployeeStore : IEmployeeStore
{
    private readonly Lock _gate = new();
    private readonly InMemorySyncStateStore? _leases;
    private readonly Dictionary<string, long> _highestGeneration = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantTable> _tenants = new(StringComparer.Ordinal);
    private long _nextKey;

    /// <summary>Initializes a new instance of the <see cref="InMemoryEmployeeStore"/> class, fenced by the highest lease generation it has accepted per tenant.</summary>
    public InMemoryEmployeeStore()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryEmployeeStore"/> class whose writes are fenced by the run leases of <paramref name="leases"/>.</summary>
    /// <param name="leases">The state store holding the tenants' run leases.</param>
    public InMemoryEmployeeStore(InMemorySyncStateStore leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        _leases = leases;
    }

    /// <summary>Gets how many changes have been applied in total.</summary>
    public int ChangesApplied { get; private set; }

    /// <summary>Gets how many <see cref="ApplyAsync"/> batches have been applied.</summary>
    public int BatchesApplied { get; private set; }

    /// <summary>
    /// Gets or sets a hook called before each batch is applied; throw from it to simulate a store failure (the batch
    /// is then not applied at all).
    /// </summary>
    public Action<IReadOnlyList<EmployeeChange>>? BeforeApply { get; set; }

    /// <summary>Adds an employee the host created itself (not linked to the directory).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="email">The email.</param>
    /// <param name="fields">Fields, if any.</param>
    /// <param name="memberships">Units with user types assigned by hand, if any.</param>
    /// <returns>The employee's key.</returns>
    public string AddLocalEmployee(string tenantId, string? email, IReadOnlyDictionary<string, string?>? fields = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? memberships = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        lock (_gate)
        {
            var entry = new Entry
            {
                Key = NewKey(),
                Email = email,
                Fields = fields is null ? new(StringComparer.Ordinal) : new(fields, StringComparer.Ordinal),
            };
            foreach (var (unit, types) in memberships ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                entry.Memberships[unit] = new HashSet<string>(types, StringComparer.Ordinal);
                entry.ManualMemberships[unit] = new HashSet<string>(types, StringComparer.Ordinal);
            }

            Tenant(tenantId)[entry.Key] = entry;
            return entry.Key;
        }
    }

    /// <summary>Adds a unit membership by hand (as a person in the host product would) to an employee.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="key">The employee key.</param>
    /// <param name="unit">The unit.</param>
    /// <param name="userTypes">The user types in that unit.</param>
    public void AddMembershipByHand(string tenantId, string key, string unit, params string[] userTypes)
    {
        lock (_gate)
        {
            var entry = Tenant(tenantId)[key];
            if (!entry.Memberships.TryGetValue(unit, out var types))
            {
                entry.Memberships[unit] = types = new HashSet<string>(StringComparer.Ordinal);
            }

            types.UnionWith(userTypes);
            if (!entry.ManualMemberships.TryGetValue(unit, out var manual))
            {
                entry.ManualMemberships[unit] = manual = new HashSet<string>(StringComparer.Ordinal);
            }

            manual.UnionWith(userTypes);
        }
    }

    /// <summary>Changes a field by hand, as a person in the host product would.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="key">The employee key.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    public void SetFieldByHand(string tenantId, string key, string field, string? value)
    {
        lock (_gate)
        {
            Tenant(tenantId)[key].Fields[field] = value;
        }
    }

    /// <summary>Removes an employee by hand.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="key">The employee key.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    public bool RemoveByHand(string tenantId, string key)
    {
        lock (_gate)
        {
            return Tenant(tenantId).Remove(key);
        }
    }

    /// <summary>Gets a snapshot of a tenant's employees, ordered by key.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <returns>The employees.</returns>
    public IReadOnlyList<InMemoryEmployee> GetEmployees(string tenantId)
    {
        lock (_gate)
        {
            return _tenants.TryGetValue(tenantId, out var tenant)
                ? tenant.Values.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Snapshot(tenantId)).ToList()
                : [];
        }
    }

    /// <summary>Gets the employee linked to a directory user, or <see langword="null"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="directoryId">The directory object id.</param>
    /// <returns>The employee, or <see langword="null"/>.</returns>
    public InMemoryEmployee? FindByDirectoryId(string tenantId, string directoryId) =>
        GetEmployees(tenantId).FirstOrDefault(e => string.Equals(e.DirectoryId, directoryId, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directoryIds);
        ArgumentNullException.ThrowIfNull(emails);
        cancellationToken.ThrowIfCancellationRequested();
        var ids = new HashSet<string>(directoryIds, StringComparer.OrdinalIgnoreCase);
        var mails = new HashSet<string>(emails.Select(e => e.Trim()), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            IReadOnlyList<StoredEmployee> found = _tenants.TryGetValue(tenantId, out var tenant)
                ? tenant.Find(ids, mails).Select(e => e.ToStored()).ToList()
                : [];
            return ValueTask.FromResult(found);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<StoredEmployee> linked;
        lock (_gate)
        {
            linked = _tenants.TryGetValue(tenantId, out var tenant)
                ? tenant.Values.Where(e => e.DirectoryId is not null).Select(e => e.ToStored()).ToList()
                : [];
        }

        foreach (var employee in linked)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return employee;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();
        BeforeApply?.Invoke(changes);
        lock (_gate)
        {
            var what = $"a batch of {changes.Count} employee change(s)";
            if (_leases is not null)
            {
                _leases.WriteFenced(tenantId, leaseGeneration, what, () => Apply(tenantId, changes));
                return ValueTask.CompletedTask;
            }

            if (_highestGeneration.GetValueOrDefault(tenantId) > leaseGeneration)
            {
                throw new StaleLeaseException(tenantId, leaseGeneration, what);
            }

            Apply(tenantId, changes);
            _highestGeneration[tenantId] = leaseGeneration;
        }

        return ValueTask.CompletedTask;
    }

    private void Apply(string tenantId, IReadOnlyList<EmployeeChange> changes)
    {
        var tenant = Tenant(tenantId);

        // Work on copies so a failure part-way leaves the tenant untouched (all or nothing).
        var working = new Dictionary<string, Entry?>(StringComparer.Ordinal);
        Entry? Get(string? key) => key is null ? null
            : working.TryGetValue(key, out var copy) ? copy
            : tenant.TryGetValue(key, out var existing) ? working[key] = existing.Clone() : null;

        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case EmployeeChangeKind.Create:
                    var linkedAlready = tenant.KeyLinkedTo(change.DirectoryId) is { } linkedKey ? tenant.GetValueOrDefault(linkedKey) : null;
                    var created = linkedAlready is null ? new Entry { Key = NewKey(), DirectoryId = change.DirectoryId } : Get(linkedAlready.Key)!;
                    Write(created, change);
                    working[created.Key] = created;
                    break;
                case EmployeeChangeKind.Link:
                case EmployeeChangeKind.Update:
                case EmployeeChangeKind.Reactivate:
                    if (Get(change.Key) is { } entry)
                    {
                        entry.DirectoryId = change.DirectoryId;
                        Write(entry, change);
                    }

                    break;
                case EmployeeChangeKind.Deactivate:
                    if (Get(change.Key) is { } deactivated)
                    {
                        deactivated.DeactivatedAt ??= change.Timestamp;
                    }

                    break;
                case EmployeeChangeKind.Delete:
                case EmployeeChangeKind.Purge:
                    if (change.Key is not null)
                    {
                        working[change.Key] = null;
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(changes), change.Kind, "Unknown change kind.");
            }
        }

        foreach (var (key, entry) in working)
        {
            if (entry is null)
            {
                tenant.Remove(key);
            }
            else
            {
                tenant[key] = entry;
            }
        }

        ChangesApplied += changes.Count;
        BatchesApplied++;
    }

    private static void Write(Entry entry, EmployeeChange change)
    {
        var record = change.Record ?? throw new ArgumentException($"A {change.Kind} change needs a record.", nameof(change));
        entry.Email = record.Email;
        foreach (var (name, value) in record.Fields)
        {
            entry.Fields[name] = value;
        }

        entry.ContentHash = change.ContentHash;
        entry.DeactivatedAt = null;
        entry.PhotoETag = record.PhotoETag;
        if (change.Photo?.Content is { } photo)
        {
            entry.Photo = photo.ToArray();
        }

        // Remove only what sync had assigned, then add what it assigns now; memberships added by hand stay.
        var previous = entry.SyncedAssignment;
        if (previous.Unit is not null && entry.Memberships.TryGetValue(previous.Unit, out var previousTypes))
        {
            entry.ManualMemberships.TryGetValue(previous.Unit, out var manualTypes);
            previousTypes.ExceptWith(previous.UserTypes.Where(t => manualTypes?.Contains(t) != true));
            if (previousTypes.Count == 0 && manualTypes is null)
            {
                entry.Memberships.Remove(previous.Unit);
            }
        }

        var next = record.Assignment;
        if (next.Unit is not null)
        {
            if (!entry.Memberships.TryGetValue(next.Unit, out var types))
            {
                entry.Memberships[next.Unit] = types = new HashSet<string>(StringComparer.Ordinal);
            }

            types.UnionWith(next.UserTypes);
        }

        entry.SyncedAssignment = next;
    }

    private TenantTable Tenant(string tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var tenant))
        {
            _tenants[tenantId] = tenant = new TenantTable();
        }

        return tenant;
    }

    /// <summary>One tenant's employees, indexed by directory id and by email so a page's lookup costs the page, not the tenant.</summary>
    private sealed class TenantTable
    {
        private readonly Dictionary<string, Entry> _rows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _byDirectoryId = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, HashSet<string>> _byEmail = new(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<Entry> Values => _rows.Values;

        public Entry this[string key]
        {
            get => _rows[key];
            set
            {
                Unindex(key);
                _rows[key] = value;
                if (value.DirectoryId is not null)
                {
                    _byDirectoryId[value.DirectoryId] = key;
                }

                if (EmailKey(value.Email) is { } email)
                {
                    if (!_byEmail.TryGetValue(email, out var keys))
                    {
                        _byEmail[email] = keys = new HashSet<string>(StringComparer.Ordinal);
                    }

                    keys.Add(key);
                }
            }
        }

        public bool TryGetValue(string key, out Entry entry) => _rows.TryGetValue(key, out entry!);

        public Entry? GetValueOrDefault(string key) => _rows.GetValueOrDefault(key);

        public string? KeyLinkedTo(string directoryId) => _byDirectoryId.GetValueOrDefault(directoryId);

        public bool Remove(string key)
        {
            Unindex(key);
            return _rows.Remove(key);
        }

        public IEnumerable<Entry> Find(IEnumerable<string> directoryIds, IEnumerable<string> emails)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in directoryIds)
            {
                if (_byDirectoryId.TryGetValue(id, out var key))
                {
                    keys.Add(key);
                }
            }

            foreach (var email in emails)
            {
                if (EmailKey(email) is { } normalized && _byEmail.TryGetValue(normalized, out var byEmail))
                {
                    keys.UnionWith(byEmail);
                }
            }

            return keys.Select(k => _rows[k]);
        }

        private void Unindex(string key)
        {
            if (!_rows.TryGetValue(key, out var old))
            {
                return;
            }

            if (old.DirectoryId is not null && _byDirectoryId.TryGetValue(old.DirectoryId, out var linked) && linked == key)
            {
                _byDirectoryId.Remove(old.DirectoryId);
            }

            if (EmailKey(old.Email) is { } email && _byEmail.TryGetValue(email, out var keys))
            {
                keys.Remove(key);
                if (keys.Count == 0)
                {
                    _byEmail.Remove(email);
                }
            }
        }

        private static string? EmailKey(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim();
    }

    private string NewKey() => "e" + Interlocked.Increment(ref _nextKey).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Entry
    {
        public required string Key { get; init; }

        public string? DirectoryId { get; set; }

        public string? Email { get; set; }

        public Dictionary<string, string?> Fields { get; init; } = new(StringComparer.Ordinal);

        public string? ContentHash { get; set; }

        public EmployeeAssignment SyncedAssignment { get; set; } = EmployeeAssignment.Unassigned;

        public Dictionary<string, HashSet<string>> Memberships { get; init; } = new(StringComparer.Ordinal);

        public string? PhotoETag { get; set; }

        public byte[]? Photo { get; set; }

        public DateTimeOffset? DeactivatedAt { get; set; }

        // Memberships a person added by hand: sync never removes these.
        public Dictionary<string, HashSet<string>> ManualMemberships { get; init; } = new(StringComparer.Ordinal);

        public Entry Clone() => new()
        {
            Key = Key,
            DirectoryId = DirectoryId,
            Email = Email,
            Fields = new(Fields, StringComparer.Ordinal),
            ContentHash = ContentHash,
            SyncedAssignment = SyncedAssignment,
            Memberships = Memberships.ToDictionary(m => m.Key, m => new HashSet<string>(m.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            PhotoETag = PhotoETag,
            Photo = Photo,
            DeactivatedAt = DeactivatedAt,
            ManualMemberships = ManualMemberships.ToDictionary(m => m.Key, m => new HashSet<string>(m.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        };

        public StoredEmployee ToStored() => new()
        {
            Key = Key,
            DirectoryId = DirectoryId,
            Email = Email,
            ContentHash = ContentHash,
            Fields = new Dictionary<string, string?>(Fields, StringComparer.Ordinal),
            Assignment = SyncedAssignment,
            PhotoETag = PhotoETag,
            DeactivatedAt = DeactivatedAt,
        };

        public InMemoryEmployee Snapshot(string tenantId) => new()
        {
            Key = Key,
            TenantId = tenantId,
            DirectoryId = DirectoryId,
            Email = Email,
            Fields = new Dictionary<string, string?>(Fields, StringComparer.Ordinal),
            ContentHash = ContentHash,
            SyncedAssignment = SyncedAssignment,
            Memberships = Memberships.ToDictionary(m => m.Key, m => (IReadOnlySet<string>)new HashSet<string>(m.Value, StringComparer.Ordinal), StringComparer.Ordinal),
            PhotoETag = PhotoETag,
            Photo = Photo,
            DeactivatedAt = DeactivatedAt,
        };
    }
}
