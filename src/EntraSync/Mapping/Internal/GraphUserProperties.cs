using System.Text.RegularExpressions;

namespace EntraSync.Mapping.Internal;

/// <summary>
/// The Microsoft Graph v1.0 <c>user</c> properties a source can select, for validating configured property names.
/// Generated once from the v1.0 CSDL (<c>metadata-v1.0-user-and-related-types.xml</c>: the <c>user</c> entity type and
/// its bases <c>directoryObject</c> and <c>entity</c>).
/// </summary>
internal static partial class GraphUserProperties
{
    /// <summary>Every structural property of <c>user</c> (and its base types) in Graph v1.0.</summary>
    public static readonly HashSet<string> All = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "id", "deletedDateTime",
        "aboutMe", "accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans", "authorizationInfo", "birthday",
        "businessPhones", "city", "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType",
        "customSecurityAttributes", "department", "deviceEnrollmentLimit", "displayName", "employeeHireDate", "employeeId",
        "employeeLeaveDateTime", "employeeOrgData", "employeeType", "externalUserState", "externalUserStateChangeDateTime",
        "faxNumber", "givenName", "hireDate", "identities", "identityParentId", "imAddresses", "interests",
        "isManagementRestricted", "isResourceAccount", "jobTitle", "lastPasswordChangeDateTime",
        "legalAgeGroupClassification", "licenseAssignmentStates", "mail", "mailboxSettings", "mailNickname", "mobilePhone",
        "mySite", "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesExtensionAttributes",
        "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesProvisioningErrors", "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails",
        "passwordPolicies", "passwordProfile", "pastProjects", "postalCode", "preferredDataLocation", "preferredLanguage",
        "preferredName", "print", "provisionedPlans", "proxyAddresses", "responsibilities", "schools", "securityIdentifier",
        "serviceProvisioningErrors", "showInAddressList", "signInActivity", "signInSessionsValidFromDateTime", "skills",
        "state", "streetAddress", "surname", "usageLocation", "userPrincipalName", "userType",
    };

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
                    : $"\"{name}\": {parent} is not a Graph v1.0 user property{Suggest(parent, Nested.Keys)}";
            }

            return children.Contains(child) ? null : $"\"{name}\": {parent} has no property \"{child}\"{Suggest(child, children)}";
        }

        if (NotSelectableOnList.Contains(name))
        {
            return $"\"{name}\" is only returned for a single user, not when listing users (Graph answers 501 Not Implemented), so sync cannot read it. Use another property, or a directory extension";
        }

        if (Nested.ContainsKey(name))
        {
            return $"\"{name}\" holds several values; name one of them, for example {name}/{Nested[name].Order(StringComparer.Ordinal).First()}";
        }

        return All.Contains(name) ? null : $"\"{name}\" is not a Graph v1.0 user property{Suggest(name, All)}";
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

    /// <summary>Suggests the closest names (Levenshtein distance), as text for a message.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names.</param>
    /// <returns>A clause such as <c>. Did you mean "jobTitle"?</c>, or a plain full stop when nothing is close.</returns>
    public static string Suggest(string name, IEnumerable<string> candidates)
    {
        var closest = Closest(name, candidates, 3);
        return closest.Count == 0 ? "" : $". Did you mean {string.Join(" or ", closest.Select(c => $"\"{c}\""))}?";
    }

    /// <summary>Finds up to <paramref name="count"/> names within a distance that scales with the name's length.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names.</param>
    /// <param name="count">How many to return at most.</param>
    /// <returns>The closest names, nearest first.</returns>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count)
    {
        var limit = Math.Max(2, name.Length / 3);
        return candidates
            .Select(c => (Name: c, Distance: Distance(name.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>The Levenshtein distance: single-character inserts, deletes and substitutions to turn one text into the other.</summary>
    /// <param name="a">One text.</param>
    /// <param name="b">The other.</param>
    /// <returns>The distance.</returns>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex("^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryExtension();
}
