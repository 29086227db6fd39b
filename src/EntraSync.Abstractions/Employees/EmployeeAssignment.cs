namespace EntraSync;

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
