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
/// Known Graph user properties and their shapes, so a record whose values have the wrong type is rejected with a reason
/// instead of turning into odd field values. The user type is open, so unknown names are accepted as they come.
/// </summary>
internal static class UserPropertyKinds
{
    private static readonly FrozenDictionary<string, PropertyKind> Kinds = Build();

    private static readonly FrozenDictionary<string, string> ObjectListKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["assignedLicenses"] = "skuId",
        ["assignedPlans"] = "servicePlanId",
        ["provisionedPlans"] = "service",
        ["identities"] = "issuerAssignedId",
        ["licenseAssignmentStates"] = "skuId",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static FrozenDictionary<string, PropertyKind>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; } = Kinds.GetAlternateLookup<ReadOnlySpan<char>>();

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

    private static FrozenDictionary<string, PropertyKind> Build()
    {
        var kinds = new Dictionary<string, PropertyKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[]
        {
            "ageGroup", "city", "companyName", "consentProvidedForMinor", "country", "createdDateTime", "creationType",
            "deletedDateTime", "department", "displayName", "employeeHireDate", "employeeLeaveDateTime", "employeeId",
            "employeeType", "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "givenName", "jobTitle",
            "lastPasswordChangeDateTime", "legalAgeGroupClassification", "mail", "mailNickname", "mobilePhone",
            "officeLocation", "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesImmutableId",
            "onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
            "onPremisesUserPrincipalName", "passwordPolicies", "postalCode", "preferredDataLocation", "preferredLanguage",
            "preferredName", "securityIdentifier", "signInSessionsValidFromDateTime", "state", "streetAddress", "surname",
            "usageLocation", "userPrincipalName", "userType", "aboutMe", "birthday", "hireDate", "mySite",
        })
        {
            kinds[name] = PropertyKind.Text;
        }

        foreach (var name in new[] { "accountEnabled", "isResourceAccount", "onPremisesSyncEnabled", "showInAddressList", "isManagementRestricted" })
        {
            kinds[name] = PropertyKind.Boolean;
        }

        foreach (var name in new[] { "businessPhones", "otherMails", "proxyAddresses", "imAddresses", "interests", "pastProjects", "responsibilities", "schools", "skills" })
        {
            kinds[name] = PropertyKind.TextList;
        }

        foreach (var name in new[] { "assignedLicenses", "assignedPlans", "provisionedPlans", "identities", "licenseAssignmentStates", "onPremisesProvisioningErrors", "serviceProvisioningErrors" })
        {
            kinds[name] = PropertyKind.ObjectList;
        }

        foreach (var name in new[] { "onPremisesExtensionAttributes", "employeeOrgData", "passwordProfile", "signInActivity", "authorizationInfo", "customSecurityAttributes", "mailboxSettings", "print" })
        {
            kinds[name] = PropertyKind.Object;
        }

        return kinds.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
