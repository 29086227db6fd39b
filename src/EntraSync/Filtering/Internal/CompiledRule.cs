using System.Globalization;
using System.Text.RegularExpressions;
using EntraSync.Graph.Internal;

namespace EntraSync.Filtering.Internal;

/// <summary>One <see cref="FilterRule"/>, parsed once per run: comparison, regular expression, number or date.</summary>
internal sealed class CompiledRule
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly FilterRule _rule;
    private readonly StringComparison _comparison;
    private readonly string _value;
    private readonly string[] _values;
    private readonly Regex? _regex;
    private readonly double? _number;
    private readonly DateTimeOffset? _date;

    public CompiledRule(FilterRule rule, bool caseSensitive)
    {
        _rule = rule;
        Property = rule.Property.Trim();
        var sensitive = rule.CaseSensitive ?? caseSensitive;
        _comparison = sensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        _value = rule.Value ?? "";
        _values = InValues(rule).ToArray();
        if (rule.Operator is FilterOperator.MatchesRegex or FilterOperator.NotMatchesRegex)
        {
            _regex = new Regex(_value, RegexOptions.CultureInvariant | (sensitive ? RegexOptions.None : RegexOptions.IgnoreCase), RegexTimeout);
        }
        else if (rule.Operator is FilterOperator.GreaterThan or FilterOperator.LessThan)
        {
            _number = ParseNumber(_value);
            _date = _number is null ? ParseDate(_value) : null;
        }
    }

    public string Property { get; }

    public static IEnumerable<string> InValues(FilterRule rule) =>
        rule.Values is { Count: > 0 }
            ? rule.Values.Where(v => v is not null).Select(v => v.Trim())
            : (rule.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static double? ParseNumber(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    /// <summary>Evaluates the rule for a user.</summary>
    /// <param name="user">The user.</param>
    /// <param name="reason">When the rule does not hold: the rule and the user's value, for the report.</param>
    /// <returns><see langword="true"/> when the rule holds.</returns>
    public bool Holds(DirectoryUser user, out string? reason)
    {
        var present = user.TryGetValue(Property, out var value);
        var items = Items(value);
        var holds = _rule.Operator switch
        {
            FilterOperator.EqualTo => items.Any(i => string.Equals(i, _value, _comparison)),
            FilterOperator.NotEqualTo => !items.Any(i => string.Equals(i, _value, _comparison)),
            FilterOperator.StartsWith => items.Any(i => i.StartsWith(_value, _comparison)),
            FilterOperator.EndsWith => items.Any(i => i.EndsWith(_value, _comparison)),
            FilterOperator.Contains => items.Any(i => i.Contains(_value, _comparison)),
            FilterOperator.In => items.Any(i => _values.Any(v => string.Equals(i, v, _comparison))),
            FilterOperator.MatchesRegex => items.Any(_regex!.IsMatch),
            FilterOperator.NotMatchesRegex => !items.Any(_regex!.IsMatch),
            FilterOperator.IsNull => items.Count == 0,
            FilterOperator.IsNotNull => items.Count > 0,
            FilterOperator.IsTrue => value.AsBoolean() == true,
            FilterOperator.IsFalse => value.AsBoolean() == false,
            FilterOperator.GreaterThan => items.Any(i => Compare(i) > 0),
            FilterOperator.LessThan => items.Any(i => Compare(i) < 0),
            _ => throw new InvalidOperationException($"Unknown filter operator {_rule.Operator}."),
        };

        reason = holds ? null : $"{Describe()} (value: {Show(present, value, items)})";
        return holds;
    }

    public string Describe() => new FilterRule
    {
        Property = Property,
        Operator = _rule.Operator,
        Value = _rule.Value,
        Values = _values,
    }.ToString();

    private static List<string> Items(DirectoryValue value)
    {
        if (value.Kind == DirectoryValueKind.List)
        {
            return value.AsList().Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).ToList();
        }

        var text = value.AsString();
        return string.IsNullOrWhiteSpace(text) ? [] : [text.Trim()];
    }

    private static string Show(bool present, DirectoryValue value, List<string> items) =>
        !present ? "not returned"
        : items.Count == 0 ? "empty"
        : value.Kind == DirectoryValueKind.List ? "[" + string.Join(", ", items.Select(i => $"\"{i}\"")) + "]"
        : $"\"{items[0]}\"";

    // Positive when the user's value is greater; 0 when it is equal or cannot be compared (then neither rule holds).
    private int Compare(string item)
    {
        if (_number is { } number)
        {
            return ParseNumber(item) is { } n ? n.CompareTo(number) : 0;
        }

        if (_date is { } date)
        {
            return ParseDate(item) is { } d ? d.CompareTo(date) : 0;
        }

        return 0;
    }

    /// <summary>The names of properties the rule reads, for the source's select.</summary>
    public string SelectedProperty => GraphUserProperties.TopLevel(Property);
}
