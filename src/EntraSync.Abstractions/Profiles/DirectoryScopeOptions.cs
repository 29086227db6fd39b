namespace EntraSync;

/// <summary>Which users the directory source reads: all, those matching a server-side OData filter, and/or members of groups.</summary>
public sealed class DirectoryScopeOptions
{
    /// <summary>Gets or sets a server-side OData <c>$filter</c> on users, for example <c>accountEnabled eq true</c>; empty for all users.</summary>
    public string? ODataFilter { get; set; }

    /// <summary>Gets or sets the ids of groups whose members are read (the union of all); empty for no group scope.</summary>
    public IList<string> GroupIds { get; set; } = [];

    /// <summary>
    /// Gets or sets the ids of further groups whose membership is read onto each user (under
    /// <see cref="DirectoryUser.MemberOfProperty"/>, as group display names) without limiting who is read. Members of
    /// <see cref="GroupIds"/> get those groups' names too. Read only when a field map, filter or matcher uses <c>memberOf</c>.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> MemberOfGroupIds { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether members of nested groups count (transitive membership).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeNestedGroups { get; set; } = true;
}
