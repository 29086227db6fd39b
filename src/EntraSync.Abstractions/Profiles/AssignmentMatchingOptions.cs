namespace EntraSync;

/// <summary>
/// Unit and user-type matching (the Ziik-style model): a user's unit comes from one directory field and their user
/// types from another, matched against the host's unit and user-type names.
/// </summary>
/// <remarks>
/// Matching is on when <see cref="UnitField"/> and <see cref="UserTypeField"/> are set (both are needed, and they must
/// differ). The names matched against come from the host's <see cref="IAssignmentCatalog"/> and from
/// <see cref="Units"/> and <see cref="UserTypes"/> here; at least one of the two must supply them.
/// </remarks>
public sealed class AssignmentMatchingOptions
{
    /// <summary>Gets or sets the directory field the unit comes from. A value naming more than one unit (comma-separated) gives no unit.</summary>
    /// <value>The default is <see cref="MatchingField.None"/> (matching off).</value>
    public MatchingField UnitField { get; set; }

    /// <summary>Gets or sets the directory field the user types come from, comma-separated; each matching value is assigned.</summary>
    /// <value>The default is <see cref="MatchingField.None"/> (matching off).</value>
    public MatchingField UserTypeField { get; set; }

    /// <summary>Gets or sets unit names to match against, besides those of the registered <see cref="IAssignmentCatalog"/> (for hosts configured only in JSON, and tests).</summary>
    /// <value>The default is empty.</value>
    public IList<string> Units { get; set; } = [];

    /// <summary>Gets or sets user-type names to match against, besides those of the registered <see cref="IAssignmentCatalog"/>.</summary>
    /// <value>The default is empty.</value>
    public IList<string> UserTypes { get; set; } = [];

    /// <summary>Gets or sets aliases: a directory value (key) that stands for a unit name (value), for example <c>"CPH": "Copenhagen"</c>.</summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, string> UnitAliases { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets aliases: a directory value (key) that stands for a user-type name (value).</summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, string> UserTypeAliases { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets a value indicating whether directory values must match names with the same case.</summary>
    /// <value>The default is <see langword="false"/> (case-insensitive; surrounding spaces are always ignored).</value>
    public bool CaseSensitive { get; set; }

    /// <summary>Gets a value indicating whether matching is configured (both fields set).</summary>
    public bool IsConfigured => UnitField != MatchingField.None && UserTypeField != MatchingField.None;
}
