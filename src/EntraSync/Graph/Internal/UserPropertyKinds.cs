using System.Collections.Frozen;

namespace EntraSync.Graph.Internal;

/// <summary>The JSON shape Graph v1.0 gives a user property (from the user EntityType in the CSDL).</summary>
internal enum PropertyKind
{
    /// <summary>Not a known property (directory or schema extension, or newer than this table): any shape is kept.</summary>
    Any,
    Text,
    Boolean,
    TextList,
    ObjectList,
    Object,
}

/// <summary>
/// The shapes of Graph user properties (listed once, in <see cref="GraphUserProperties.Kinds"/>), so a record whose values have the wrong type is rejected with a reason
/// instead of turning into odd field values. The user type is open, so unknown names are accepted as they come.
/// </summary>
internal static class UserPropertyKinds
{
    private static readonly FrozenDictionary<string, string> ObjectListKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["assignedLicenses"] = "skuId",
        ["assignedPlans"] = "servicePlanId",
        ["provisionedPlans"] = "service",
        ["identities"] = "issuerAssignedId",
        ["licenseAssignmentStates"] = "skuId",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static FrozenDictionary<string, PropertyKind>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = GraphUserProperties.Kinds.GetAlternateLookup<ReadOnlySpan<char>>();

    public static PropertyKind Get(ReadOnlySpan<char> name) => Lookup.TryGetValue(name, out var kind) ? kind : PropertyKind.Any;

    /// <summary>Gets the member of an object-list item that stands for it (a licence's <c>skuId</c>), or <c>id</c>.</summary>
    public static string GetListKey(string property) => ObjectListKeys.GetValueOrDefault(property, "id");

    public static string Describe(PropertyKind kind) => kind switch
    {
        PropertyKind.Text => "text",
        PropertyKind.Boolean => "true or false",
        PropertyKind.TextList => "a list of text",
        PropertyKind.ObjectList => "a list",
        PropertyKind.Object => "an object",
        _ => "a value",
    };
}
