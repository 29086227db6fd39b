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

/// <summary>A group of filter rules that must all hold.</summary>
public sealed class FilterGroup
{
    /// <summary>Gets or sets a name for the group, shown in exclusion reasons.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the rules; all must hold.</summary>
    /// <value>The default is empty (the group holds for everyone).</value>
    public IList<FilterRule> Rules { get; set; } = [];
}

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

/// <summary>
/// The "people only" preset: excludes accounts that are not people. Each part has its own reason in the report and
/// can be switched off.
/// </summary>
public sealed class PeopleOnlyOptions
{
    /// <summary>Gets or sets a value indicating whether the preset applies.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets a value indicating whether disabled accounts (<c>accountEnabled</c> false) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeDisabledAccounts { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether guests (<c>userType</c> Guest, or an <c>#EXT#</c> user principal name) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeGuests { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether users with no license (empty <c>assignedLicenses</c>) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeUnlicensed { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether rooms, equipment and shared mailboxes are excluded: users whose display
    /// name, user principal name or mail matches one of the room and shared-mailbox patterns.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeRoomsAndSharedMailboxes { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether service accounts (matching a service-account pattern) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeServiceAccounts { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether users with neither a given name nor a surname are excluded (typical of service accounts and mailboxes).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeUsersWithoutName { get; set; } = true;

    /// <summary>
    /// Gets or sets extra room, equipment and shared-mailbox patterns: wildcards (<c>*</c> any text, <c>?</c> one
    /// character), matched ignoring case against the whole display name, user principal name and mail.
    /// </summary>
    /// <value>The default is empty (only the built-in patterns).</value>
    public IList<string> RoomAndSharedMailboxPatterns { get; set; } = [];

    /// <summary>Gets or sets extra service-account patterns, written like <see cref="RoomAndSharedMailboxPatterns"/>.</summary>
    /// <value>The default is empty (only the built-in patterns).</value>
    public IList<string> ServiceAccountPatterns { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether the built-in patterns apply besides the configured ones.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseBuiltInPatterns { get; set; } = true;

    /// <summary>Gets the built-in room, equipment and shared-mailbox patterns.</summary>
    public static IReadOnlyList<string> BuiltInRoomAndSharedMailboxPatterns { get; } =
    [
        "room *", "* room", "*meeting room*", "*conference room*", "boardroom*", "equipment*", "*shared mailbox*",
        "info@*", "contact@*", "reception@*", "office@*", "support@*", "sales@*", "hr@*", "invoice*@*", "booking*@*",
    ];

    /// <summary>Gets the built-in service-account patterns.</summary>
    public static IReadOnlyList<string> BuiltInServiceAccountPatterns { get; } =
    [
        "svc-*", "svc_*", "svc.*", "service-*", "service.*", "*service account*", "sync_*", "admin@*", "administrator@*",
        "noreply@*", "no-reply@*", "donotreply@*", "do-not-reply@*", "scanner@*", "scan@*", "postmaster@*",
    ];
}
