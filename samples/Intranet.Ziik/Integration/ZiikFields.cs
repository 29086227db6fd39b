using System.Linq.Expressions;
using EntraSync;
using Intranet.Ziik.Data;

namespace Intranet.Ziik.Integration;

/// <summary>
/// The user profile fields the integration fills in, named as the Ziik article writes them: the mandatory Email,
/// First name and Last name, and the nine fields a unit or user type can be matched from.
/// </summary>
public static class ZiikFields
{
    public const string Email = "Email";
    public const string FirstName = "First name";
    public const string LastName = "Last name";

    /// <summary>The manager's display name, shown on the Users page.</summary>
    public const string Manager = "Manager";

    /// <summary>A matching field: its name in the article, the Graph property, and the Person column it is kept in.</summary>
    public sealed record MatchingFieldInfo(MatchingField Field, string Label, string Source, Expression<Func<Person, string?>> Column)
    {
        private readonly Func<Person, string?> _read = Column.Compile();

        public string? Read(Person person) => _read(person);
    }

    /// <summary>In the article's order.</summary>
    public static readonly IReadOnlyList<MatchingFieldInfo> Matching =
    [
        new(MatchingField.JobTitle, "Job Title", "jobTitle", p => p.JobTitle),
        new(MatchingField.CompanyName, "Company Name", "companyName", p => p.CompanyName),
        new(MatchingField.Department, "Department", "department", p => p.Department),
        new(MatchingField.StreetAddress, "Street Address", "streetAddress", p => p.StreetAddress),
        new(MatchingField.State, "State", "state", p => p.State),
        new(MatchingField.Country, "Country", "country", p => p.Country),
        new(MatchingField.OfficeLocation, "Office Location", "officeLocation", p => p.OfficeLocation),
        new(MatchingField.City, "City", "city", p => p.City),
        new(MatchingField.PostalCode, "Postal Code", "postalCode", p => p.PostalCode),
    ];

    public static MatchingFieldInfo Of(MatchingField field) => Matching.Single(m => m.Field == field);

    /// <summary>What sync reads: the mandatory fields plus every matching field, so each can be shown and used.</summary>
    public static List<FieldMapping> Mappings() =>
    [
        new() { Name = Email, Source = FieldMapping.EmailSource },
        new() { Name = FirstName, Source = "givenName" },
        new() { Name = LastName, Source = "surname" },
        .. Matching.Select(m => new FieldMapping { Name = m.Label, Source = m.Source }),
    ];

    /// <summary>
    /// The manager line ("reports to"): EntraSync reads it with the users (<c>$expand=manager</c>), or by batched GETs
    /// when a directory filter needs advanced queries, which refuse <c>$expand</c>.
    /// </summary>
    public static FieldMapping ManagerMapping { get; } = new() { Name = Manager, Source = "manager/displayName" };

    /// <summary>
    /// Why a person has no unit or no user type, by the article's rules: the unit field must name exactly one unit;
    /// user types are matched one by one from a comma-separated list.
    /// </summary>
    public static IReadOnlyList<string> WhyUnassigned(Person person, IntegrationSettings settings, IReadOnlyCollection<string> units, IReadOnlyCollection<string> userTypes)
    {
        var reasons = new List<string>(2);
        var unitField = Of(settings.UnitField);
        var unit = unitField.Read(person)?.Trim();
        var parts = (unit ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (string.IsNullOrEmpty(unit))
        {
            reasons.Add($"{unitField.Label} is empty, so no unit");
        }
        else if (!units.Contains(unit, StringComparer.OrdinalIgnoreCase))
        {
            reasons.Add(parts.Length > 1
                ? $"{unitField.Label} \"{unit}\" names several units; a user gets a unit only when it names one"
                : $"no unit is named \"{unit}\" ({unitField.Label})");
        }

        var typeField = Of(settings.UserTypeField);
        var types = (typeField.Read(person) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (types.Length == 0)
        {
            reasons.Add($"{typeField.Label} is empty, so no user type");
        }
        else if (!types.Any(t => userTypes.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            reasons.Add($"no user type matches \"{string.Join(", ", types)}\" ({typeField.Label})");
        }

        return reasons;
    }
}
