using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Matching;

public sealed class AssignmentMatchingValidatorTests
{
    private static SyncProfile Profile(MatchingField unit, MatchingField userType)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Matching.UnitField = unit;
        profile.Matching.UserTypeField = userType;
        return profile;
    }

    [Fact]
    public void Matching_off_or_two_different_fields_is_valid()
    {
        Assert.Empty(Errors(Profile(MatchingField.None, MatchingField.None)));
        Assert.Empty(Errors(Profile(MatchingField.OfficeLocation, MatchingField.JobTitle)));
    }

    [Fact]
    public void The_same_field_for_units_and_user_types_is_an_error()
    {
        var error = Assert.Single(Errors(Profile(MatchingField.Department, MatchingField.Department)));

        Assert.StartsWith(
            "EntraSync:Tenants:0:Matching:UserTypeField is Department, the same field as EntraSync:Tenants:0:Matching:UnitField. One directory field cannot drive both units and user types",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_only_one_field_is_an_error()
    {
        var error = Assert.Single(Errors(Profile(MatchingField.City, MatchingField.None)));

        Assert.StartsWith("EntraSync:Tenants:0:Matching:UserTypeField is not set while EntraSync:Tenants:0:Matching:UnitField is.", error, StringComparison.Ordinal);
        Assert.Contains("JobTitle, CompanyName, Department, StreetAddress, State, Country, OfficeLocation, City, PostalCode", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_fields_empty_names_and_empty_alias_targets_are_errors()
    {
        var profile = Profile((MatchingField)42, MatchingField.City);
        profile.Matching.Units = ["Sales", ""];
        profile.Matching.UnitAliases = new Dictionary<string, string> { ["CPH"] = " " };

        var errors = Errors(profile);

        Assert.Equal(
            [
                "EntraSync:Tenants:0:Matching:UnitField is 42. Use one of JobTitle, CompanyName, Department, StreetAddress, State, Country, OfficeLocation, City, PostalCode, or None.",
            ],
            errors);

        profile.Matching.UnitField = MatchingField.Country;
        Assert.Equal(
            [
                "EntraSync:Tenants:0:Matching:Units:1 is empty. Remove it or write the name.",
                "EntraSync:Tenants:0:Matching:UnitAliases:CPH is empty. Write the unit name the directory value \"CPH\" stands for, or remove the alias.",
            ],
            Errors(profile));
    }
}
