namespace EntraSync.Testing.Emulator.Internal;

/// <summary>
/// The user properties of the Graph v1.0 CSDL the emulator knows, modelled or not. This list is deliberately separate
/// from the engine's (EntraSync's <c>Graph/Internal/GraphUserProperties.cs</c>): the emulator is an independent oracle
/// of what Graph serves, so a mistake in the engine's list shows up in tests instead of being mirrored here.
/// </summary>
internal static class UserCatalog
{
    /// <summary>Graph's default property set for users, in the order Graph writes it (<c>id</c> last).</summary>
    public static readonly UserProperty[] Default;

    public static readonly UserProperty Id;

    /// <summary>The properties the emulator stores (change tracking compares these).</summary>
    public static readonly UserProperty[] Modelled;

    private static readonly Dictionary<string, UserProperty> ByName = new(StringComparer.OrdinalIgnoreCase);

    // Properties of the v1.0 user entity that the emulator does not model: selectable, always null or [].
    private static readonly string[] UnmodelledScalars =
    [
        "deletedDateTime", "ageGroup", "authorizationInfo", "consentProvidedForMinor", "creationType", "customSecurityAttributes",
        "deviceEnrollmentLimit", "employeeHireDate", "employeeLeaveDateTime", "employeeOrgData", "externalUserState",
        "externalUserStateChangeDateTime", "identityParentId", "isManagementRestricted", "isResourceAccount",
        "lastPasswordChangeDateTime", "legalAgeGroupClassification", "onPremisesDistinguishedName", "onPremisesDomainName",
        "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
        "onPremisesUserPrincipalName", "passwordPolicies", "passwordProfile", "preferredDataLocation", "print",
        "securityIdentifier", "showInAddressList", "signInActivity", "signInSessionsValidFromDateTime",
    ];

    private static readonly string[] UnmodelledLists =
    [
        "assignedPlans", "identities", "imAddresses", "licenseAssignmentStates", "onPremisesProvisioningErrors",
        "provisionedPlans", "serviceProvisioningErrors",
    ];

    // Only available on a single-user GET; on /users and /users/delta Graph answers 501.
    private static readonly string[] SingleEntityOnly =
    [
        "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities",
        "schools", "skills", "mailboxSettings",
    ];

    static UserCatalog()
    {
        Id = new UserProperty { Name = "id", Kind = PropertyKind.String, ReadOnly = true, Filterable = true, GetString = u => u.Id };
        Add(Id);
        Add(S("displayName", u => u.DisplayName, (u, v) => u.DisplayName = v));
        Add(S("givenName", u => u.GivenName, (u, v) => u.GivenName = v));
        Add(S("surname", u => u.Surname, (u, v) => u.Surname = v));
        Add(S("mail", u => u.Mail, (u, v) => u.Mail = v));
        Add(S("mailNickname", u => u.MailNickname, (u, v) => u.MailNickname = v));
        Add(S("userPrincipalName", u => u.UserPrincipalName, (u, v) => u.UserPrincipalName = v));
        Add(S("userType", u => u.UserType, (u, v) => u.UserType = v));
        Add(S("jobTitle", u => u.JobTitle, (u, v) => u.JobTitle = v));
        Add(S("department", u => u.Department, (u, v) => u.Department = v));
        Add(S("companyName", u => u.CompanyName, (u, v) => u.CompanyName = v));
        Add(S("officeLocation", u => u.OfficeLocation, (u, v) => u.OfficeLocation = v));
        Add(S("streetAddress", u => u.StreetAddress, (u, v) => u.StreetAddress = v));
        Add(S("city", u => u.City, (u, v) => u.City = v));
        Add(S("state", u => u.State, (u, v) => u.State = v));
        Add(S("country", u => u.Country, (u, v) => u.Country = v));
        Add(S("postalCode", u => u.PostalCode, (u, v) => u.PostalCode = v));
        Add(S("mobilePhone", u => u.MobilePhone, (u, v) => u.MobilePhone = v));
        Add(S("faxNumber", u => u.FaxNumber, (u, v) => u.FaxNumber = v));
        Add(S("preferredLanguage", u => u.PreferredLanguage, (u, v) => u.PreferredLanguage = v));
        Add(S("usageLocation", u => u.UsageLocation, (u, v) => u.UsageLocation = v));
        Add(S("employeeId", u => u.EmployeeId, (u, v) => u.EmployeeId = v));
        Add(S("employeeType", u => u.EmployeeType, (u, v) => u.EmployeeType = v));
        Add(new UserProperty { Name = "accountEnabled", Kind = PropertyKind.Bool, Filterable = true, GetBool = u => u.AccountEnabled, SetBool = (u, v) => u.AccountEnabled = v });
        Add(new UserProperty { Name = "onPremisesSyncEnabled", Kind = PropertyKind.Bool, Filterable = true, ReadOnly = true, GetBool = u => u.OnPremisesSyncEnabled });
        Add(new UserProperty { Name = "createdDateTime", Kind = PropertyKind.DateTime, Filterable = true, ReadOnly = true });
        Add(L("businessPhones", u => u.BusinessPhonesOrNull, u => u.BusinessPhones, readOnly: false));
        Add(L("otherMails", u => u.OtherMailsOrNull, u => u.OtherMails, readOnly: false));
        Add(L("proxyAddresses", u => u.ProxyAddressesOrNull, u => u.ProxyAddresses, readOnly: true));
        Add(new UserProperty { Name = "assignedLicenses", Kind = PropertyKind.Licenses, Filterable = true, ReadOnly = true });
        Add(new UserProperty { Name = "onPremisesExtensionAttributes", Kind = PropertyKind.ExtensionAttributes, Filterable = true });
        Add(new UserProperty { Name = "manager", Kind = PropertyKind.Manager, ReadOnly = true });
        Modelled = [.. ByName.Values];
        foreach (var name in UnmodelledScalars)
        {
            Add(new UserProperty { Name = name, Kind = PropertyKind.UnmodelledScalar });
        }

        foreach (var name in UnmodelledLists)
        {
            Add(new UserProperty { Name = name, Kind = PropertyKind.UnmodelledList });
        }

        foreach (var name in SingleEntityOnly)
        {
            Add(new UserProperty { Name = name, Kind = PropertyKind.UnmodelledScalar, SingleEntityOnly = true });
        }

        Default =
        [
            .. new[] { "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id" }
                .Select(n => ByName[n]),
        ];
    }

    /// <summary>Finds a property by name (case-insensitive); <c>extension_*</c> names are open properties.</summary>
    public static UserProperty? Find(string name)
    {
        if (ByName.TryGetValue(name, out var property))
        {
            return property;
        }

        return name.StartsWith("extension_", StringComparison.OrdinalIgnoreCase) && name.Length > "extension_".Length
            ? UserProperty.Open(name)
            : null;
    }

    private static void Add(UserProperty property) => ByName.Add(property.Name, property);

    private static UserProperty S(string name, Func<EmulatedUser, string?> get, Action<EmulatedUser, string?> set) =>
        new() { Name = name, Kind = PropertyKind.String, Filterable = true, GetString = get, SetString = set };

    private static UserProperty L(string name, Func<EmulatedUser, List<string>?> get, Func<EmulatedUser, IList<string>> list, bool readOnly) =>
        new() { Name = name, Kind = PropertyKind.StringList, Filterable = true, GetList = get, List = list, ReadOnly = readOnly };
}
