namespace EntraSync.EntityFrameworkCore.Internal;

/// <summary>What the store reads of one employee: a projection, never a tracked entity.</summary>
internal sealed class EmployeeRow
{
    public object? Key { get; set; }

    public string? DirectoryId { get; set; }

    public string? Email { get; set; }

    public string? ContentHash { get; set; }

    public string? SyncedFields { get; set; }

    public string?[]? MappedFields { get; set; }

    public string? Assignment { get; set; }

    public string? PhotoETag { get; set; }

    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>Gets or sets whether the row belongs to the tenant asked about (computed by the database).</summary>
    public bool InTenant { get; set; }
}
