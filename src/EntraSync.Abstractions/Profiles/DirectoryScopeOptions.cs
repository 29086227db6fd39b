namespace EntraSync;

/// <summary>Which users the directory source reads: all, those matching a server-side OData filter, and/or members of groups.</summary>
public sealed class DirectoryScopeOptions
{
    /// <summary>Gets or sets a server-side OData <c>$filter</c> on users, for example <c>accountEnabled eq true</c>; empty for all users.</summary>
    public string? ODataFilter { get; set; }

    /// <summary>Gets or sets the ids of groups whose members are read (the union of all); empty for no group scope.</summary>
    public IList<string> GroupIds { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether members of nested groups count (transitive membership).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeNestedGroups { get; set; } = true;
}
