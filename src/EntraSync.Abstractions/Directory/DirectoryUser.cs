namespace EntraSync;

/// <summary>One user as the directory returned it, before filtering, mapping and matching.</summary>
/// <remarks>
/// Property names are Microsoft Graph user property names (<c>givenName</c>, <c>mail</c>, <c>proxyAddresses</c>...),
/// compared case-insensitively. Nested properties are flattened to <c>parent/child</c>
/// (<c>onPremisesExtensionAttributes/extensionAttribute3</c>); directory extensions keep their name
/// (<c>extension_{appId}_{name}</c>); group memberships read for the user are under <see cref="MemberOfProperty"/>.
/// A property the source did not return is absent, which is not the same as a property returned as <c>null</c>.
/// </remarks>
public sealed class DirectoryUser
{
    /// <summary>The property under which a source puts the display names of the configured groups the user belongs to.</summary>
    public const string MemberOfProperty = "memberOf";

    private static readonly IReadOnlyDictionary<string, DirectoryValue> NoProperties =
        new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the directory object id (for Entra ID, the user's object id GUID). Never changes for a user.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the properties read, keyed case-insensitively by property name.</summary>
    /// <value>The default is an empty dictionary.</value>
    public IReadOnlyDictionary<string, DirectoryValue> Properties { get; init; } = NoProperties;

    /// <summary>Gets the user's profile photo metadata, or <see langword="null"/> when photos are not read or the user has none.</summary>
    public DirectoryPhoto? Photo { get; init; }

    /// <summary>Gets a property's value.</summary>
    /// <param name="property">The property name.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns><see langword="true"/> when the property was returned (possibly as <see cref="DirectoryValue.Null"/>).</returns>
    public bool TryGetValue(string property, out DirectoryValue value)
    {
        if (Properties.TryGetValue(property, out var found))
        {
            value = found;
            return true;
        }

        value = DirectoryValue.Null;
        return false;
    }

    /// <summary>Gets a property as text (see <see cref="DirectoryValue.AsString"/>), or <see langword="null"/> when absent or null.</summary>
    /// <param name="property">The property name.</param>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public string? GetString(string property) => Properties.TryGetValue(property, out var value) ? value.AsString() : null;

    /// <summary>Gets a property as a list (see <see cref="DirectoryValue.AsList"/>); empty when absent or null.</summary>
    /// <param name="property">The property name.</param>
    /// <returns>The items.</returns>
    public IReadOnlyList<string> GetList(string property) => Properties.TryGetValue(property, out var value) ? value.AsList() : [];

    /// <inheritdoc />
    public override string ToString() => Id;
}
