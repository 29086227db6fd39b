namespace EntraSync.Testing.Emulator;

/// <summary>
/// A user in an <see cref="EmulatedTenant"/>, with the Microsoft Graph v1.0 properties the emulator serves.
/// A property left <see langword="null"/> (or a collection left empty) is "never set": Graph lists show it as
/// <c>null</c> (or <c>[]</c>) and delta responses omit it.
/// </summary>
/// <remarks>
/// The tenant keeps its own copy: changing an instance after <see cref="EmulatedTenant.AddUser(EmulatedUser)"/>
/// has no effect. Change users with <see cref="EmulatedTenant.UpdateUser(string, Action{EmulatedUser})"/>.
/// </remarks>
public sealed class EmulatedUser
{
    private List<string>? _businessPhones;
    private List<string>? _proxyAddresses;
    private List<string>? _otherMails;
    private List<Guid>? _assignedLicenses;
    private Dictionary<string, string?>? _extensionAttributes;
    private Dictionary<string, object?>? _additionalProperties;

    /// <summary>Gets or sets the directory object id.</summary>
    /// <value>The default is a new random GUID.</value>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Gets or sets <c>accountEnabled</c>.</summary>
    public bool? AccountEnabled { get; set; }

    /// <summary>Gets or sets <c>displayName</c>.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets <c>givenName</c>.</summary>
    public string? GivenName { get; set; }

    /// <summary>Gets or sets <c>surname</c>.</summary>
    public string? Surname { get; set; }

    /// <summary>Gets or sets <c>mail</c>.</summary>
    public string? Mail { get; set; }

    /// <summary>Gets or sets <c>mailNickname</c>.</summary>
    public string? MailNickname { get; set; }

    /// <summary>Gets or sets <c>userPrincipalName</c>. Guests carry <c>#EXT#</c> in it.</summary>
    public string? UserPrincipalName { get; set; }

    /// <summary>Gets or sets <c>userType</c> (<c>Member</c> or <c>Guest</c>).</summary>
    public string? UserType { get; set; }

    /// <summary>Gets or sets <c>jobTitle</c>.</summary>
    public string? JobTitle { get; set; }

    /// <summary>Gets or sets <c>department</c>.</summary>
    public string? Department { get; set; }

    /// <summary>Gets or sets <c>companyName</c>.</summary>
    public string? CompanyName { get; set; }

    /// <summary>Gets or sets <c>officeLocation</c>.</summary>
    public string? OfficeLocation { get; set; }

    /// <summary>Gets or sets <c>streetAddress</c>.</summary>
    public string? StreetAddress { get; set; }

    /// <summary>Gets or sets <c>city</c>.</summary>
    public string? City { get; set; }

    /// <summary>Gets or sets <c>state</c>.</summary>
    public string? State { get; set; }

    /// <summary>Gets or sets <c>country</c>.</summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets <c>postalCode</c>.</summary>
    public string? PostalCode { get; set; }

    /// <summary>Gets or sets <c>mobilePhone</c>.</summary>
    public string? MobilePhone { get; set; }

    /// <summary>Gets or sets <c>faxNumber</c>.</summary>
    public string? FaxNumber { get; set; }

    /// <summary>Gets or sets <c>preferredLanguage</c>.</summary>
    public string? PreferredLanguage { get; set; }

    /// <summary>Gets or sets <c>usageLocation</c>.</summary>
    public string? UsageLocation { get; set; }

    /// <summary>Gets or sets <c>employeeId</c>.</summary>
    public string? EmployeeId { get; set; }

    /// <summary>Gets or sets <c>employeeType</c>.</summary>
    public string? EmployeeType { get; set; }

    /// <summary>Gets or sets <c>onPremisesSyncEnabled</c>.</summary>
    public bool? OnPremisesSyncEnabled { get; set; }

    /// <summary>Gets or sets <c>createdDateTime</c>.</summary>
    public DateTimeOffset? CreatedDateTime { get; set; }

    /// <summary>
    /// Gets or sets the object id of the user's manager (the <c>manager</c> navigation property), or
    /// <see langword="null"/> for none. Served by <c>$expand=manager</c>, <c>GET /users/{id}/manager</c> and, when delta
    /// selects <c>manager</c>, as <c>manager@delta</c>.
    /// </summary>
    public string? ManagerId { get; set; }

    /// <summary>Gets <c>businessPhones</c>.</summary>
    public IList<string> BusinessPhones => _businessPhones ??= [];

    /// <summary>Gets <c>proxyAddresses</c>, e.g. <c>SMTP:primary@contoso.com</c>, <c>smtp:alias@contoso.com</c>, <c>SPO:...</c>.</summary>
    public IList<string> ProxyAddresses => _proxyAddresses ??= [];

    /// <summary>Gets <c>otherMails</c>.</summary>
    public IList<string> OtherMails => _otherMails ??= [];

    /// <summary>Gets the SKU ids of <c>assignedLicenses</c>.</summary>
    public IList<Guid> AssignedLicenses => _assignedLicenses ??= [];

    /// <summary>
    /// Gets the set values of <c>onPremisesExtensionAttributes</c>, keyed <c>extensionAttribute1</c> to
    /// <c>extensionAttribute15</c>. Graph always returns all 15; unset ones are <c>null</c>.
    /// </summary>
    public IDictionary<string, string?> OnPremisesExtensionAttributes => _extensionAttributes ??= new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets open properties such as directory extensions (<c>extension_{appId}_{name}</c>). Values may be
    /// <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="long"/> or a string collection.
    /// </summary>
    public IDictionary<string, object?> AdditionalProperties => _additionalProperties ??= new(StringComparer.OrdinalIgnoreCase);

    internal List<string>? BusinessPhonesOrNull => _businessPhones;

    internal List<string>? ProxyAddressesOrNull => _proxyAddresses;

    internal List<string>? OtherMailsOrNull => _otherMails;

    internal List<Guid>? AssignedLicensesOrNull => _assignedLicenses;

    internal Dictionary<string, string?>? ExtensionAttributesOrNull => _extensionAttributes;

    internal Dictionary<string, object?>? AdditionalPropertiesOrNull => _additionalProperties;

    /// <summary>Creates a deep copy of this user.</summary>
    /// <returns>The copy.</returns>
    public EmulatedUser Clone()
    {
        var copy = (EmulatedUser)MemberwiseClone();
        copy._businessPhones = _businessPhones is null ? null : [.. _businessPhones];
        copy._proxyAddresses = _proxyAddresses is null ? null : [.. _proxyAddresses];
        copy._otherMails = _otherMails is null ? null : [.. _otherMails];
        copy._assignedLicenses = _assignedLicenses is null ? null : [.. _assignedLicenses];
        copy._extensionAttributes = _extensionAttributes is null ? null : new(_extensionAttributes, StringComparer.OrdinalIgnoreCase);
        copy._additionalProperties = _additionalProperties is null ? null : new(_additionalProperties, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
