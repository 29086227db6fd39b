namespace EntraSync;

/// <summary>How a <see cref="FilterRule"/> compares.</summary>
public enum FilterOperator
{
    /// <summary>The value equals <see cref="FilterRule.Value"/>.</summary>
    EqualTo,

    /// <summary>The value does not equal <see cref="FilterRule.Value"/> (an empty value does not equal anything).</summary>
    NotEqualTo,

    /// <summary>The value starts with <see cref="FilterRule.Value"/>.</summary>
    StartsWith,

    /// <summary>The value ends with <see cref="FilterRule.Value"/>.</summary>
    EndsWith,

    /// <summary>The value contains <see cref="FilterRule.Value"/>.</summary>
    Contains,

    /// <summary>The value equals one of <see cref="FilterRule.Values"/>.</summary>
    In,

    /// <summary>The value matches the regular expression <see cref="FilterRule.Value"/>.</summary>
    MatchesRegex,

    /// <summary>The value does not match the regular expression <see cref="FilterRule.Value"/>.</summary>
    NotMatchesRegex,

    /// <summary>The property is absent, null, empty text or an empty list.</summary>
    IsNull,

    /// <summary>The property has a value.</summary>
    IsNotNull,

    /// <summary>The property is <c>true</c>.</summary>
    IsTrue,

    /// <summary>The property is <c>false</c>.</summary>
    IsFalse,

    /// <summary>The value, a number or a date, is greater (later) than <see cref="FilterRule.Value"/>.</summary>
    GreaterThan,

    /// <summary>The value, a number or a date, is less (earlier) than <see cref="FilterRule.Value"/>.</summary>
    LessThan,
}
