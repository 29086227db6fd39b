namespace EntraSync;

/// <summary>One employee field and where its value comes from.</summary>
public sealed class FieldMapping
{
    /// <summary>The <see cref="Source"/> for the user's resolved email.</summary>
    public const string EmailSource = "email";

    /// <summary>The <see cref="Source"/> for the profile photo (the field holds its ETag; bytes travel separately).</summary>
    public const string PhotoSource = "photo";

    /// <summary>The <see cref="Source"/> for the display names of the configured groups the user belongs to.</summary>
    public const string GroupsSource = "memberOf";

    /// <summary>Gets or sets the field name in the host product, for example <c>Job Title</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Gets or sets the source: a Graph user property (<c>jobTitle</c>), a nested one
    /// (<c>onPremisesExtensionAttributes/extensionAttribute1</c>), a directory extension
    /// (<c>extension_{appId}_{name}</c>), <c>email</c> for the resolved email, <c>photo</c> for the photo, or
    /// <c>memberOf</c> for group memberships. Leave it empty when <see cref="Constant"/> is set.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>Gets or sets a fixed value for every user, instead of <see cref="Source"/>.</summary>
    public string? Constant { get; set; }

    /// <summary>Gets or sets the value used when the source is empty for a user.</summary>
    public string? Default { get; set; }

    /// <summary>Gets or sets how a multi-valued source (<c>businessPhones</c>, <c>otherMails</c>, <c>memberOf</c>...) becomes one value.</summary>
    /// <value>The default is <see cref="MultiValueMode.First"/>.</value>
    public MultiValueMode MultiValue { get; set; } = MultiValueMode.First;

    /// <summary>Gets or sets what goes between items when <see cref="MultiValue"/> is <see cref="MultiValueMode.Join"/>.</summary>
    /// <value>The default is <c>", "</c>.</value>
    public string Separator { get; set; } = ", ";

    /// <summary>
    /// Gets or sets the name of a transform applied to the value: <c>upper</c>, <c>lower</c>, or one the host
    /// registers in code (<c>AddFieldTransform</c>); empty for none.
    /// </summary>
    public string? Transform { get; set; }

    /// <summary>Creates the default field set.</summary>
    /// <returns>A new list with the Xink-style default fields.</returns>
    public static IList<FieldMapping> CreateDefaults() =>
    [
        new() { Name = FieldNames.FirstName, Source = "givenName" },
        new() { Name = FieldNames.LastName, Source = "surname" },
        new() { Name = FieldNames.DisplayName, Source = "displayName" },
        new() { Name = FieldNames.Email, Source = EmailSource },
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
        new() { Name = FieldNames.Photo, Source = PhotoSource },
    ];

    /// <inheritdoc />
    public override string ToString() => Constant is not null ? $"{Name} <- \"{Constant}\"" : $"{Name} <- {Source}";
}
