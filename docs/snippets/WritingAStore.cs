using System.Runtime.CompilerServices;
using EntraSync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

#region employee-store
/// <summary>A store over the host's own employee table (here a dictionary standing in for it).</summary>
public sealed class MyEmployeeStore(MySyncStateStore leases) : IEmployeeStore
{
    private readonly Dictionary<string, MyEmployee> _rows = [];   // your table; key = your primary key
    private readonly Lock _gate = new();

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(
        string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails,
        CancellationToken cancellationToken = default)
    {
        var ids = directoryIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mails = emails.Select(e => e.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            // Linked employees by directory id, and any employee (linked or not) by email — for this tenant only.
            IReadOnlyList<StoredEmployee> found = _rows.Values
                .Where(r => r.TenantId == tenantId
                    && ((r.DirectoryId is not null && ids.Contains(r.DirectoryId)) || (r.Email is not null && mails.Contains(r.Email.Trim()))))
                .Select(ToStored)
                .ToList();
            return ValueTask.FromResult(found);
        }
    }

    public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(
        string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<StoredEmployee> linked;
        lock (_gate)
        {
            linked = _rows.Values.Where(r => r.TenantId == tenantId && r.DirectoryId is not null).Select(ToStored).ToList();
        }

        foreach (var employee in linked)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return employee;   // a database store streams its query here instead
        }

        await Task.CompletedTask;
    }

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var change in changes)
        {
            // Check the whole batch before writing anything: all or nothing.
            if (change.Kind is EmployeeChangeKind.Create or EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate
                && change.Record is null)
            {
                throw new ArgumentException($"A {change.Kind} change needs a record.", nameof(changes));
            }
        }

        lock (_gate)   // a database store opens one transaction per batch here
        {
            // Fenced: only the run holding the tenant's lease writes. A database store reads (and locks) the lease
            // row in this same transaction; a run that lost its lease must not write beside the one that took it.
            if (!leases.Leases.IsCurrentLease(tenantId, leaseGeneration))
            {
                throw new StaleLeaseException(tenantId, leaseGeneration, $"a batch of {changes.Count} change(s)");
            }

            foreach (var change in changes)
            {
                if (change.Kind == EmployeeChangeKind.Create)
                {
                    // Idempotent: a create for a directory id already linked updates that employee (repair after a crash).
                    var existing = _rows.Values.FirstOrDefault(r => r.TenantId == tenantId && r.DirectoryId == change.DirectoryId);
                    Write(existing ?? (_rows[Guid.NewGuid().ToString()] = new MyEmployee { TenantId = tenantId }), change);
                    continue;
                }

                // Only this tenant's rows: a key from another tenant changes nothing.
                if (change.Key is null || !_rows.TryGetValue(change.Key, out var row) || row.TenantId != tenantId)
                {
                    continue;
                }

                switch (change.Kind)
                {
                    case EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate:
                        Write(row, change);
                        break;
                    case EmployeeChangeKind.Deactivate:
                        row.DeactivatedAt ??= change.Timestamp;
                        break;
                    case EmployeeChangeKind.Delete or EmployeeChangeKind.Purge:
                        _rows.Remove(change.Key);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void Write(MyEmployee row, EmployeeChange change)
    {
        var record = change.Record!;
        row.DirectoryId = change.DirectoryId;
        row.Email = record.Email;
        row.FirstName = record.GetField(FieldNames.FirstName);   // the fields your product shows...
        row.LastName = record.GetField(FieldNames.LastName);
        row.JobTitle = record.GetField(FieldNames.JobTitle);
        row.SyncedFields = new Dictionary<string, string?>(record.Fields);   // ...and what sync wrote, for its field diff
        row.SyncedAssignment = record.Assignment;   // what sync assigned (apply it to your units, keeping hand-made ones)
        row.PhotoETag = record.PhotoETag;
        row.ContentHash = change.ContentHash;
        row.DeactivatedAt = null;
    }

    private StoredEmployee ToStored(MyEmployee row) => new()
    {
        Key = _rows.First(r => r.Value == row).Key,
        DirectoryId = row.DirectoryId,
        Email = row.Email,
        ContentHash = row.ContentHash,
        Fields = row.SyncedFields,
        Assignment = row.SyncedAssignment,
        PhotoETag = row.PhotoETag,
        DeactivatedAt = row.DeactivatedAt,
    };

    /// <summary>An employee your product created itself (for tests: sync only ever links these, once, by email).</summary>
    public string AddLocal(string tenantId, string? email)
    {
        lock (_gate)
        {
            var key = Guid.NewGuid().ToString();
            _rows[key] = new MyEmployee { TenantId = tenantId, Email = email };
            return key;
        }
    }
}

public sealed class MyEmployee
{
    public required string TenantId { get; init; }
    public string? DirectoryId { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? JobTitle { get; set; }
    public IReadOnlyDictionary<string, string?> SyncedFields { get; set; } = new Dictionary<string, string?>();
    public EmployeeAssignment SyncedAssignment { get; set; } = EmployeeAssignment.Unassigned;
    public string? PhotoETag { get; set; }
    public string? ContentHash { get; set; }
    public DateTimeOffset? DeactivatedAt { get; set; }
}
#endregion

public static class WritingAStoreRegistration
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
            .AddEmployeeStore<MyEmployeeStore>()
            .AddSyncStateStore<MySyncStateStore>();
    }
}
