namespace EntraSync;

/// <summary>
/// Client-side filters: which directory users are in scope. Works like Entra's scoping filters: the rules inside a
/// group must all hold (AND), and a user is in scope when any group holds (OR). With no groups, everyone is in scope
/// (except whom the <see cref="PeopleOnly"/> preset excludes).
/// </summary>
public sealed class UserFilterOptions
{
    /// <summary>Gets or sets the filter groups; a user is in scope when all rules of at least one group hold.</summary>
    /// <value>The default is empty (everyone in scope).</value>
    public IList<FilterGroup> Groups { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether text comparisons respect case. A rule can override it.</summary>
    /// <value>The default is <see langword="false"/> (case-insensitive).</value>
    public bool CaseSensitive { get; set; }

    /// <summary>Gets or sets the built-in "people only" preset, which excludes accounts that are not people.</summary>
    /// <value>The default is switched off.</value>
    public PeopleOnlyOptions PeopleOnly { get; set; } = new();
}
