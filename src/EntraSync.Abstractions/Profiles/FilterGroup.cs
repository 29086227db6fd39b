namespace EntraSync;

/// <summary>A group of filter rules that must all hold.</summary>
public sealed class FilterGroup
{
    /// <summary>Gets or sets a name for the group, shown in exclusion reasons.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the rules; all must hold.</summary>
    /// <value>The default is empty (the group holds for everyone).</value>
    public IList<FilterRule> Rules { get; set; } = [];
}
