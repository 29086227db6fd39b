namespace EntraSync;

/// <summary>The field map: which employee fields are filled from which directory properties, in which order.</summary>
public sealed class FieldMapOptions
{
    /// <summary>Gets or sets the fields, in order. Replace the list to add, remove, re-order or re-map fields.</summary>
    /// <value>The default is the Xink-style set: First Name, Last Name, Display Name, Email, Phone, Job Title, Department, Mobile, Fax, Company, Street, City, State, Zip, Country, Photo.</value>
    public IList<FieldMapping> Fields { get; set; } = FieldMapping.CreateDefaults();
}

/// <summary>One employee field and where its value comes from.</summary>
public sealed class FieldMapping
{
    /// <summary>Gets or sets the field name in the host product, for example <c>Job Title</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Gets or sets the source: a Graph user property (<c>jobTitle</c>), a nested one
    /// (<c>onPremisesExtensionAttributes/extensionAttribute1</c>), a directory extension
    /// (<c>extension_{appId}_{name}</c>), <c>email</c> for the resolved email, or <c>photo</c> for the photo.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>Creates the default field set.</summary>
    /// <returns>A new list with the Xink-style default fields.</returns>
    public static IList<FieldMapping> CreateDefaults() =>
    [
        new() { Name = FieldNames.FirstName, Source = "givenName" },
        new() { Name = FieldNames.LastName, Source = "surname" },
        new() { Name = FieldNames.DisplayName, Source = "displayName" },
        new() { Name = FieldNames.Email, Source = "email" },
        new() { Name = FieldNames.Phone, Source = "businessPhones" },
        new() { Name = FieldNames.JobTitle, Source = "jobTitle" },
        new() { Name = FieldNames.Department, Source = "department" },
        new() { Name = FieldNames.Mobile, Source = "mobilePhone" },
        new() { Name = FieldNames.Fax, Source = "faxNumber" },
        new() { Name = FieldNames.Company, Source = "companyName" },
        new() { Name = FieldNames.Street, Source = "streetAddress" },
        new() { Name = FieldNames.City, Source = "city" },
        new() { Name = FieldNames.State, Source = "state" },
        new() { Name = FieldNames.Zip, Source = "postalCode" },
        new() { Name = FieldNames.Country, Source = "country" },
        new() { Name = FieldNames.Photo, Source = "photo" },
    ];

    /// <inheritdoc />
    public override string ToString() => $"{Name} <- {Source}";
}
