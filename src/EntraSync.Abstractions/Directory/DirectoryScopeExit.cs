namespace EntraSync;

/// <summary>A user who left the tenant's directory scope although the directory still has them.</summary>
public sealed class DirectoryScopeExit
{
    /// <summary>Gets the directory object id of the user.</summary>
    public required string Id { get; init; }

    /// <summary>Gets why the user is out of scope, in words for the report, for example <c>no longer matches the filter accountEnabled eq true</c>.</summary>
    public required string Reason { get; init; }
}
