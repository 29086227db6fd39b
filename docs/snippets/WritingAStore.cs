using System.Runtime.CompilerServices;
using EntraSync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

#region employee-store
/// <summary>A store over the host's own employee table (here a dictionary standing in for it).</summary>
public sealed class MyEmployeeStore : IEmployeeStore
{
    private readonly Dictionary<string, MyEmployee> _rows = [];   // your table; key = your primary key
    private readonly Lock _gate = new();

    public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(
        string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails,
        CancellationToken cancellationToken = default)
    {
        var ids = directoryIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mails = emails.ToHashSet(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            // Linked employees by directory id, and any employee (linked or not) by email — for this tenant only.
            IReadOnlyList<StoredEmployee> found = _rows.Values
                .Where(r => r.TenantId == tenantId
                    && ((r.DirectoryId is not null && ids.Contains(r.DirectoryId)) || (r.Email is not null && mails.Contains(r.Email))))
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
            yield return employee;   // a database store streams its query here instead
        }

        await Task.CompletedTask;
    }

    public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, CancellationToken cancellationToken = default)
    {
        lock (_gate)   // a database store opens one transaction per batch here
        {
            foreach (var change in changes)
            {
                var row = change.Kind == EmployeeChangeKind.Create
                    ? _rows.Values.FirstOrDefault(r => r.TenantId == tenantId && r.DirectoryId == change.DirectoryId)  // idempotent repair
                      ?? (_rows[Guid.NewGuid().ToString()] = new MyEmployee { TenantId = tenantId })
                    : change.Key is not null && _rows.TryGetValue(change.Key, out var existing) ? existing : null;
                if (row is null)
                {
                    continue;   // removed by hand meanwhile: nothing to do
                }

                switch (change.Kind)
                {
                    case EmployeeChangeKind.Create or EmployeeChangeKind.Link or EmployeeChangeKind.Update or EmployeeChangeKind.Reactivate:
                        row.DirectoryId = change.DirectoryId;
                        row.Email = change.Record!.Email;
                        row.FirstName = change.Record.GetField(FieldNames.FirstName);
                        row.LastName = change.Record.GetField(FieldNames.LastName);
                        row.JobTitle = change.Record.GetField(FieldNames.JobTitle);
                        row.ContentHash = change.ContentHash;
                        row.DeactivatedAt = null;
                        break;
                    case EmployeeChangeKind.Deactivate:
                        row.DeactivatedAt ??= change.Timestamp;
                        break;
                    case EmployeeChangeKind.Delete or EmployeeChangeKind.Purge:
                        _rows.Remove(_rows.First(r => r.Value == row).Key);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private StoredEmployee ToStored(MyEmployee row) => new()
    {
        Key = _rows.First(r => r.Value == row).Key,
        DirectoryId = row.DirectoryId,
        Email = row.Email,
        ContentHash = row.ContentHash,
        DeactivatedAt = row.DeactivatedAt,
        Fields = new Dictionary<string, string?>
        {
            [FieldNames.FirstName] = row.FirstName,
            [FieldNames.LastName] = row.LastName,
            [FieldNames.JobTitle] = row.JobTitle,
        },
    };
}

public sealed class MyEmployee
{
    public required string TenantId { get; init; }
    public string? DirectoryId { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? JobTitle { get; set; }
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
