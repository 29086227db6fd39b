namespace EntraSync;

/// <summary>One filter rule, for example <c>department equals Sales</c>.</summary>
public sealed class FilterRule
{
    /// <summary>
    /// Gets or sets the Graph user property the rule reads (<c>department</c>,
    /// <c>onPremisesExtensionAttributes/extensionAttribute1</c>, <c>extension_{appId}_{name}</c>, or <c>memberOf</c>
    /// for group memberships). A multi-valued property holds when any item does (for the negative operators, when no item does).
    /// </summary>
    public string Property { get; set; } = "";

    /// <summary>Gets or sets how the property is compared.</summary>
    /// <value>The default is <see cref="FilterOperator.EqualTo"/>.</value>
    public FilterOperator Operator { get; set; } = FilterOperator.EqualTo;

    /// <summary>
    /// Gets or sets the value compared with: text, a regular expression, a number, or a date (ISO 8601) for
    /// <see cref="FilterOperator.GreaterThan"/> and <see cref="FilterOperator.LessThan"/>. Not used by the null and
    /// Boolean operators. For <see cref="FilterOperator.In"/>, a comma-separated list when <see cref="Values"/> is empty.
    /// </summary>
    public string? Value { get; set; }

    /// <summary>Gets or sets the values for <see cref="FilterOperator.In"/>.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Values { get; set; } = [];

    /// <summary>Gets or sets whether this rule respects case; <see langword="null"/> to follow <see cref="UserFilterOptions.CaseSensitive"/>.</summary>
    public bool? CaseSensitive { get; set; }

    /// <inheritdoc />
    public override string ToString() => Operator switch
    {
        FilterOperator.IsNull => $"{Property} is empty",
        FilterOperator.IsNotNull => $"{Property} is not empty",
        FilterOperator.IsTrue => $"{Property} is true",
        FilterOperator.IsFalse => $"{Property} is false",
        FilterOperator.In => $"{Property} in ({string.Join(", ", Values.Count > 0 ? Values : (Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))})",
        _ => $"{Property} {Describe(Operator)} \"{Value}\"",
    };

    private static string Describe(FilterOperator op) => op switch
    {
        FilterOperator.EqualTo => "equals",
        FilterOperator.NotEqualTo => "does not equal",
        FilterOperator.StartsWith => "starts with",
        FilterOperator.EndsWith => "ends with",
        FilterOperator.Contains => "contains",
        FilterOperator.MatchesRegex => "matches",
        FilterOperator.NotMatchesRegex => "does not match",
        FilterOperator.GreaterThan => "is greater than",
        FilterOperator.LessThan => "is less than",
        _ => op.ToString(),
    };
}
