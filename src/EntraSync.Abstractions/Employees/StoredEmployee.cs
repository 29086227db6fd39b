namespace EntraSync;

/// <summary>
/// What a store holds about one employee, as far as sync is concerned. Stores return these from
/// <see cref="IEmployeeStore"/> lookups.
/// </summary>
public sealed class StoredEmployee
{
    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Gets the store's own key for the employee, as text (the host's primary key). Sync passes it back unchanged.</summary>
    public required string Key { get; init; }

    /// <summary>
    /// Gets the directory object id the employee is linked to, or <see langword="null"/> for a local employee the
    /// host created itself. Sync changes and removes only linked employees.
    /// </summary>
    public string? DirectoryId { get; init; }

    /// <summary>Gets the employee's email address as the store holds it.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the content hash sync last wrote (<see cref="EmployeeChange.ContentHash"/>), or <see langword="null"/>.</summary>
    public string? ContentHash { get; init; }

    /// <summary>Gets the field values sync last wrote, by field name. Used to compute a field-level diff.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = NoFields;

    /// <summary>Gets the assignment sync last made (not including anything assigned by hand).</summary>
    /// <value>The default is <see cref="EmployeeAssignment.Unassigned"/>.</value>
    public EmployeeAssignment Assignment { get; init; } = EmployeeAssignment.Unassigned;

    /// <summary>Gets the photo ETag sync last wrote, or <see langword="null"/>.</summary>
    public string? PhotoETag { get; init; }

    /// <summary>Gets when sync deactivated (soft deleted) the employee, or <see langword="null"/> while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Gets a value indicating whether the employee is active (not soft deleted).</summary>
    public bool IsActive => DeactivatedAt is null;

    /// <inheritdoc />
    public override string ToString() => DirectoryId is null ? $"{Key} (local)" : $"{Key} -> {DirectoryId}";
}
