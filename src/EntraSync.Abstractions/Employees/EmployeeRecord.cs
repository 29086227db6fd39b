namespace EntraSync;

/// <summary>What sync wants the host to hold for one directory user: the mapped fields and the assignment.</summary>
public sealed class EmployeeRecord
{
    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Gets the resolved email address (see the email resolution rules of the profile), or <see langword="null"/>.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// Gets the mapped fields by field name (for example <c>First Name</c>, <c>Job Title</c>), in the order of the
    /// field map. A field whose directory value is empty is present with a <see langword="null"/> value.
    /// </summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = NoFields;

    /// <summary>Gets the unit and user types sync assigns.</summary>
    /// <value>The default is <see cref="EmployeeAssignment.Unassigned"/>.</value>
    public EmployeeAssignment Assignment { get; init; } = EmployeeAssignment.Unassigned;

    /// <summary>Gets the photo's media ETag, or <see langword="null"/> when there is no photo or photos are not synced.</summary>
    public string? PhotoETag { get; init; }

    /// <summary>Gets a field's value, or <see langword="null"/>.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The value, or <see langword="null"/> when the field is empty or not mapped.</returns>
    public string? GetField(string field) => Fields.TryGetValue(field, out var value) ? value : null;
}

/// <summary>The unit and user types sync assigns to an employee (the Ziik-style unit / user-type model).</summary>
/// <remarks>
/// These are only the assignments sync manages. Units and user types a person added by hand in the host product
/// are not part of it and sync never removes them.
/// </remarks>
public sealed class EmployeeAssignment : IEquatable<EmployeeAssignment>
{
    /// <summary>Gets the assignment with no unit and no user type.</summary>
    public static EmployeeAssignment Unassigned { get; } = new();

    /// <summary>Gets the unit name, or <see langword="null"/> for none.</summary>
    public string? Unit { get; init; }

    /// <summary>Gets the user type names, in the order the directory listed them, without duplicates.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> UserTypes { get; init; } = [];

    /// <summary>Gets a value indicating whether the employee has no unit or no user type, and so sees nothing in a unit-based product.</summary>
    public bool IsUnassigned => Unit is null || UserTypes.Count == 0;

    /// <inheritdoc />
    public bool Equals(EmployeeAssignment? other) =>
        other is not null
        && string.Equals(Unit, other.Unit, StringComparison.Ordinal)
        && UserTypes.SequenceEqual(other.UserTypes, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmployeeAssignment);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Unit, UserTypes.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Unit ?? "(no unit)"}: {(UserTypes.Count == 0 ? "(no user type)" : string.Join(", ", UserTypes))}";
}
