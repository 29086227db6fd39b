namespace EntraSync.Matching.Internal;

/// <summary>Names for <see cref="MatchingField"/> values: the Graph property read, and the words used in messages.</summary>
internal static class MatchingFields
{
    public static string GraphProperty(MatchingField field) => field switch
    {
        MatchingField.JobTitle => "jobTitle",
        MatchingField.CompanyName => "companyName",
        MatchingField.Department => "department",
        MatchingField.StreetAddress => "streetAddress",
        MatchingField.State => "state",
        MatchingField.Country => "country",
        MatchingField.OfficeLocation => "officeLocation",
        MatchingField.City => "city",
        MatchingField.PostalCode => "postalCode",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a matching field."),
    };

    public static string Choices { get; } = string.Join(", ", Enum.GetNames<MatchingField>().Where(n => n != nameof(MatchingField.None)));

    public static string NoNames(string path, string what, string list) =>
        $"{path} has UnitField and UserTypeField set but no {what} names to match against: no IAssignmentCatalog is registered and {path}:{list} is empty. " +
        $"Register your catalog with .AddAssignmentCatalog<TCatalog>() on the builder AddEntraUserSync returns, or list the names in {path}:{list}.";
}
