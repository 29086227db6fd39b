namespace EntraSync;

/// <summary>One change sync asks the store to make to one employee.</summary>
/// <remarks>
/// What a store does for each <see cref="Kind"/>:
/// <list type="table">
/// <listheader><term>Kind</term><description>The store...</description></listheader>
/// <item><term><see cref="EmployeeChangeKind.Create"/></term><description>adds an employee linked to <see cref="DirectoryId"/> with <see cref="Record"/>, <see cref="ContentHash"/>, active.</description></item>
/// <item><term><see cref="EmployeeChangeKind.Link"/></term><description>links the local employee <see cref="Key"/> to <see cref="DirectoryId"/> and writes <see cref="Record"/> and <see cref="ContentHash"/>.</description></item>
/// <item><term><see cref="EmployeeChangeKind.Update"/></term><description>writes <see cref="Record"/> and <see cref="ContentHash"/> to employee <see cref="Key"/>; <see cref="ChangedFields"/> lists what differs.</description></item>
/// <item><term><see cref="EmployeeChangeKind.Reactivate"/></term><description>clears the deactivation of <see cref="Key"/> and writes <see cref="Record"/> and <see cref="ContentHash"/>.</description></item>
/// <item><term><see cref="EmployeeChangeKind.Deactivate"/></term><description>soft deletes <see cref="Key"/>: keeps it, marked deactivated at <see cref="Timestamp"/>.</description></item>
/// <item><term><see cref="EmployeeChangeKind.Delete"/></term><description>removes <see cref="Key"/> now (the profile removes without retention).</description></item>
/// <item><term><see cref="EmployeeChangeKind.Purge"/></term><description>removes <see cref="Key"/>, deactivated longer than the retention period.</description></item>
/// </list>
/// For the unit and user types, a store adds those in <see cref="EmployeeRecord.Assignment"/> and removes only those in
/// <see cref="PreviousAssignment"/> that are no longer assigned: anything added by hand stays.
/// </remarks>
public sealed class EmployeeChange
{
    /// <summary>Gets what to do.</summary>
    public required EmployeeChangeKind Kind { get; init; }

    /// <summary>Gets the directory object id the employee is (or becomes) linked to.</summary>
    public required string DirectoryId { get; init; }

    /// <summary>Gets the store key of the existing employee; <see langword="null"/> for <see cref="EmployeeChangeKind.Create"/>.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the employee's new content for create, link, update and reactivate; <see langword="null"/> otherwise.</summary>
    public EmployeeRecord? Record { get; init; }

    /// <summary>Gets the content hash to store with <see cref="Record"/>; <see langword="null"/> when there is no record.</summary>
    public string? ContentHash { get; init; }

    /// <summary>Gets the fields whose value changes, with old and new values (empty for create and removals).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<FieldChange> ChangedFields { get; init; } = [];

    /// <summary>Gets the assignment sync made before this change, so the store removes only what sync had assigned.</summary>
    /// <value>The default is <see cref="EmployeeAssignment.Unassigned"/>.</value>
    public EmployeeAssignment PreviousAssignment { get; init; } = EmployeeAssignment.Unassigned;

    /// <summary>Gets the photo bytes to store, or <see langword="null"/> when the photo did not change.</summary>
    public DirectoryPhoto? Photo { get; init; }

    /// <summary>Gets when sync decided the change (from the run's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets why the change is made, in words for the report (for example "not in the directory any more").</summary>
    public string? Reason { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {DirectoryId}";
}
