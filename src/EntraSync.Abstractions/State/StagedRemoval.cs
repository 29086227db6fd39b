namespace EntraSync;

/// <summary>One staged removal.</summary>
public sealed class StagedRemoval
{
    /// <summary>Gets the store key of the employee.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the directory object id.</summary>
    public required string DirectoryId { get; init; }

    /// <summary>Gets the employee's email, for people reviewing the list.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the action approval applies.</summary>
    public required RemovalAction Action { get; init; }

    /// <summary>Gets why the employee was to be removed.</summary>
    public required RemovalCause Cause { get; init; }
}
