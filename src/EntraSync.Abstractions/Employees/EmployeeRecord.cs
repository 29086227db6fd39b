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
