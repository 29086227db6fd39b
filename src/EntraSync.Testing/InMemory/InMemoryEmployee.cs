namespace EntraSync.Testing;

/// <summary>An employee as <see cref="InMemoryEmployeeStore"/> holds it: a snapshot, safe to read after the store changes.</summary>
public sealed class InMemoryEmployee
{
    /// <summary>Gets the store key.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the linked directory object id, or <see langword="null"/> for a local employee.</summary>
    public string? DirectoryId { get; init; }

    /// <summary>Gets the email.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the fields by name.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the content hash sync wrote.</summary>
    public string? ContentHash { get; init; }

    /// <summary>Gets the assignment sync made.</summary>
    public EmployeeAssignment SyncedAssignment { get; init; } = EmployeeAssignment.Unassigned;

    /// <summary>Gets every unit membership with its user types: those sync made and those added by hand.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Memberships { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>Gets the photo ETag.</summary>
    public string? PhotoETag { get; init; }

    /// <summary>Gets the photo bytes last stored.</summary>
    public ReadOnlyMemory<byte>? Photo { get; init; }

    /// <summary>Gets when the employee was deactivated, or <see langword="null"/> while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Gets a value indicating whether the employee is active.</summary>
    public bool IsActive => DeactivatedAt is null;

    /// <summary>Gets a field's value.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{Key} {Email} ({DirectoryId ?? "local"}{(IsActive ? "" : ", deactivated")})";
}
