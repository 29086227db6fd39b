using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace EntraSync.Graph.Internal;

/// <summary>
/// The Microsoft Graph v1.0 <c>user</c> properties and the JSON shape of each: the one list the engine has. The Graph
/// source selects from it and checks each value's shape against it (<see cref="UserPropertyKinds"/>); field-map and
/// filter validation check configured names against it (<see cref="Check"/>). Generated once from the v1.0 CSDL
/// (<c>metadata-v1.0-user-and-related-types.xml</c>: the <c>user</c> entity type and its bases <c>directoryObject</c>
/// and <c>entity</c>). The Graph emulator in EntraSync.Testing keeps its own list on purpose, as an independent oracle.
/// </summary>
internal static partial class GraphUserProperties
{
    /// <summary>Every structural property of <c>user</c> (and its base types) in Graph v1.0, with its JSON shape.</summary>
    public static readonly FrozenDictionary<string, PropertyKind> Kinds = new Dictionary<string, PropertyKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = PropertyKind.Any,
        ["deletedDateTime"] = PropertyKind.Text,
        ["aboutMe"] = PropertyKind.Text,
        ["accountEnabled"] = PropertyKind.Boolean,
        ["ageGroup"] = PropertyKind.Text,
        ["assignedLicenses"] = PropertyKind.ObjectList,
        ["assignedPlans"] = PropertyKind.ObjectList,
        ["authorizationInfo"] = PropertyKind.Object,
        ["birthday"] = PropertyKind.Text,
        ["businessPhones"] = PropertyKind.TextList,
        ["city"] = PropertyKind.Text,
        ["companyName"] = PropertyKind.Text,
        ["consentProvidedForMinor"] = PropertyKind.Text,
        ["country"] = PropertyKind.Text,
        ["createdDateTime"] = PropertyKind.Text,
        ["creationType"] = PropertyKind.Text,
        ["customSecurityAttributes"] = PropertyKind.Object,
        ["department"] = PropertyKind.Text,
        ["deviceEnrollmentLimit"] = PropertyKind.Any,
        ["displayName"] = PropertyKind.Text,
        ["employeeHireDate"] = PropertyKind.Text,
        ["employeeId"] = PropertyKind.Text,
        ["employeeLeaveDateTime"] = PropertyKind.Text,
        ["employeeOrgData"] = PropertyKind.Object,
        ["employeeType"] = PropertyKind.Text,
        ["externalUserState"] = PropertyKind.Text,
        ["externalUserStateChangeDateTime"] = PropertyKind.Text,
        ["faxNumber"] = PropertyKind.Text,
        ["givenName"] = PropertyKind.Text,
        ["hireDate"] = PropertyKind.Text,
        ["identities"] = PropertyKind.ObjectList,
        ["identityParentId"] = PropertyKind.Any,
        ["imAddresses"] = PropertyKind.TextList,
        ["interests"] = PropertyKind.TextList,
        ["isManagementRestricted"] = PropertyKind.Boolean,
        ["isResourceAccount"] = PropertyKind.Boolean,
        ["jobTitle"] = PropertyKind.Text,
        ["lastPasswordChangeDateTime"] = PropertyKind.Text,
        ["legalAgeGroupClassification"] = PropertyKind.Text,
        ["licenseAssignmentStates"] = PropertyKind.ObjectList,
        ["mail"] = PropertyKind.Text,
        ["mailboxSettings"] = PropertyKind.Object,
        ["mailNickname"] = PropertyKind.Text,
        ["mobilePhone"] = PropertyKind.Text,
        ["mySite"] = PropertyKind.Text,
        ["officeLocation"] = PropertyKind.Text,
        ["onPremisesDistinguishedName"] = PropertyKind.Text,
        ["onPremisesDomainName"] = PropertyKind.Text,
        ["onPremisesExtensionAttributes"] = PropertyKind.Object,
        ["onPremisesImmutableId"] = PropertyKind.Text,
        ["onPremisesLastSyncDateTime"] = PropertyKind.Text,
        ["onPremisesProvisioningErrors"] = PropertyKind.ObjectList,
        ["onPremisesSamAccountName"] = PropertyKind.Text,
        ["onPremisesSecurityIdentifier"] = PropertyKind.Text,
        ["onPremisesSyncEnabled"] = PropertyKind.Boolean,
        ["onPremisesUserPrincipalName"] = PropertyKind.Text,
        ["otherMails"] = PropertyKind.TextList,
        ["passwordPolicies"] = PropertyKind.Text,
        ["passwordProfile"] = PropertyKind.Object,
        ["pastProjects"] = PropertyKind.TextList,
        ["postalCode"] = PropertyKind.Text,
        ["preferredDataLocation"] = PropertyKind.Text,
        ["preferredLanguage"] = PropertyKind.Text,
        ["preferredName"] = PropertyKind.Text,
        ["print"] = PropertyKind.Object,
        ["provisionedPlans"] = PropertyKind.ObjectList,
        ["proxyAddresses"] = PropertyKind.TextList,
        ["responsibilities"] = PropertyKind.TextList,
        ["schools"] = PropertyKind.TextList,
        ["securityIdentifier"] = PropertyKind.Text,
        ["serviceProvisioningErrors"] = PropertyKind.ObjectList,
        ["showInAddressList"] = PropertyKind.Boolean,
        ["signInActivity"] = PropertyKind.Object,
        ["signInSessionsValidFromDateTime"] = PropertyKind.Text,
        ["skills"] = PropertyKind.TextList,
        ["state"] = PropertyKind.Text,
        ["streetAddress"] = PropertyKind.Text,
        ["surname"] = PropertyKind.Text,
        ["usageLocation"] = PropertyKind.Text,
        ["userPrincipalName"] = PropertyKind.Text,
        ["userType"] = PropertyKind.Text,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every structural property of <c>user</c> (and its base types) in Graph v1.0.</summary>
    public static readonly FrozenSet<string> All = Kinds.Keys.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Properties Graph returns only for a single user (<c>GET /users/{id}</c>); selecting them on <c>/users</c> fails with 501.</summary>
    public static readonly IReadOnlySet<string> NotSelectableOnList = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities",
        "schools", "skills", "mailboxSettings",
    };

    /// <summary>The nested properties a <c>parent/child</c> source may read, by parent.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Nested = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["onPremisesExtensionAttributes"] = new HashSet<string>(
            Enumerable.Range(1, 15).Select(i => "extensionAttribute" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            StringComparer.OrdinalIgnoreCase),
        ["employeeOrgData"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "costCenter", "division" },
        ["signInActivity"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "lastNonInteractiveSignInDateTime", "lastNonInteractiveSignInRequestId", "lastSignInDateTime",
            "lastSignInRequestId", "lastSuccessfulSignInDateTime", "lastSuccessfulSignInRequestId",
        },
        ["authorizationInfo"] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "certificateUserIds" },

        // The manager navigation property: read with $expand on lists and followed by delta (manager@delta).
        [ManagerProperty] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "id", "mail", "displayName", "userPrincipalName" },
    };

    /// <summary>The user's manager (a navigation property, not structural): map <c>manager/id</c>, <c>manager/mail</c>, <c>manager/displayName</c> or <c>manager/userPrincipalName</c>.</summary>
    public const string ManagerProperty = "manager";

    /// <summary>
    /// Checks a property name a field, rule or matcher reads.
    /// </summary>
    /// <param name="name">The name: a user property, <c>parent/child</c>, <c>extension_{appId}_{name}</c>, or <c>memberOf</c>.</param>
    /// <returns><see langword="null"/> when valid; otherwise what is wrong and how to fix it.</returns>
    public static string? Check(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty";
        }

        if (string.Equals(name, DirectoryUser.MemberOfProperty, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (name.StartsWith("extension_", StringComparison.OrdinalIgnoreCase))
        {
            return DirectoryExtension().IsMatch(name)
                ? null
                : $"\"{name}\" is not a directory extension name. Write it as extension_<appId without dashes, 32 hex digits>_<name>, for example extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter";
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var parent = name[..slash];
            var child = name[(slash + 1)..];
            if (!Nested.TryGetValue(parent, out var children))
            {
                return All.Contains(parent)
                    ? $"\"{name}\": {parent} has no nested values to read. Nested sources work for {string.Join(", ", Nested.Keys)}"
                    : $"\"{name}\": {parent} is not a Graph v1.0 user property{NameSuggestions.DidYouMean(parent, Nested.Keys)}";
            }

            return children.Contains(child) ? null : $"\"{name}\": {parent} has no property \"{child}\"{NameSuggestions.DidYouMean(child, children)}";
        }

        if (NotSelectableOnList.Contains(name))
        {
            return $"\"{name}\" is only returned for a single user, not when listing users (Graph answers 501 Not Implemented), so sync cannot read it. Use another property, or a directory extension";
        }

        if (Nested.ContainsKey(name))
        {
            return $"\"{name}\" holds several values; name one of them, for example {name}/{Nested[name].Order(StringComparer.Ordinal).First()}";
        }

        return All.Contains(name) ? null : $"\"{name}\" is not a Graph v1.0 user property{NameSuggestions.DidYouMean(name, All)}";
    }

    /// <summary>Ends a message with a full stop unless it already ends with one or a question mark.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The sentence.</returns>
    public static string Sentence(string message) => message.EndsWith('.') || message.EndsWith('?') ? message : message + ".";

    /// <summary>The top-level property a source selects for a name (<c>parent/child</c> selects <c>parent</c>).</summary>
    /// <param name="name">The property name.</param>
    /// <returns>The name to select.</returns>
    public static string TopLevel(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var top = slash >= 0 ? name[..slash] : name;
        return Canonical(top);
    }

    /// <summary>The property's spelling in Graph, when known (names are case-insensitive in configuration).</summary>
    /// <param name="name">The name.</param>
    /// <returns>Graph's spelling, or the name as given.</returns>
    public static string Canonical(string name) =>
        All.TryGetValue(name, out var known) ? known
        : string.Equals(name, DirectoryUser.MemberOfProperty, StringComparison.OrdinalIgnoreCase) ? DirectoryUser.MemberOfProperty
        : name;

    [GeneratedRegex("^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryExtension();
}
