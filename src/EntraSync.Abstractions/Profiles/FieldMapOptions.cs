namespace EntraSync;

/// <summary>The field map: which employee fields are filled from which directory properties, in which order.</summary>
/// <remarks>
/// In code, edit or replace <see cref="Fields"/> to add, remove, re-order or re-map fields. In configuration, a
/// <c>Fields</c> list replaces the default list, so list every field you want, in order.
/// </remarks>
public sealed class FieldMapOptions
{
    /// <summary>Gets or sets the fields, in order. Replace the list to add, remove, re-order or re-map fields.</summary>
    /// <value>The default is the Xink-style set: First Name, Last Name, Display Name, Email, Phone, Job Title, Department, Mobile, Fax, Company, Street, City, State, Zip, Country, Photo.</value>
    public IList<FieldMapping> Fields { get; set; } = FieldMapping.CreateDefaults();
}
