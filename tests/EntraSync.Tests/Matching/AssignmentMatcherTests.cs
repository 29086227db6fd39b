using EntraSync.Matching;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Matching;

public sealed class AssignmentMatcherTests
{
    private static SyncProfile Profile(Action<AssignmentMatchingOptions>? configure = null)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Matching.UnitField = MatchingField.Department;
        profile.Matching.UserTypeField = MatchingField.JobTitle;
        profile.Matching.Units = ["Sales", "Support", "Copenhagen, HQ"];
        profile.Matching.UserTypes = ["Manager", "Employee", "Trainer"];
        configure?.Invoke(profile.Matching);
        return profile;
    }

    private static async Task<AssignmentMatch> MatchAsync(string? department, string? jobTitle, SyncProfile? profile = null, IAssignmentCatalog? catalog = null)
    {
        var context = Context(profile ?? Profile());
        var matcher = new AssignmentMatcher(catalog);
        await matcher.PrepareAsync(context);
        return matcher.Match(User("u1", ("department", department), ("jobTitle", jobTitle)), context);
    }

    [Fact]
    public async Task A_unit_and_user_type_that_match_are_assigned_with_the_host_spelling()
    {
        var match = await MatchAsync("  sales ", "manager");

        Assert.Equal("Sales", match.Assignment.Unit);
        Assert.Equal(["Manager"], match.Assignment.UserTypes);
        Assert.False(match.Assignment.IsUnassigned);
        Assert.Null(match.UnmatchedUnitValue);
        Assert.Empty(match.UnmatchedUserTypeValues);
        Assert.Null(match.Note);
    }

    [Fact]
    public async Task A_unit_value_that_matches_no_unit_gives_no_unit_and_is_reported()
    {
        var match = await MatchAsync("Marketing", "Manager");

        Assert.Null(match.Assignment.Unit);
        Assert.Equal(["Manager"], match.Assignment.UserTypes);
        Assert.True(match.Assignment.IsUnassigned);
        Assert.Equal("Marketing", match.UnmatchedUnitValue);
        Assert.Equal("no unit: Department \"Marketing\" matches no unit", match.Note);
    }

    [Fact]
    public async Task A_value_naming_more_than_one_unit_gives_no_unit()
    {
        var match = await MatchAsync("Sales, Support", "Manager");

        Assert.Null(match.Assignment.Unit);
        Assert.True(match.Assignment.IsUnassigned);
        Assert.Equal("Sales, Support", match.UnmatchedUnitValue);
        Assert.Equal("no unit: more than one unit stated in Department (\"Sales, Support\")", match.Note);
    }

    [Fact]
    public async Task A_unit_whose_name_holds_a_comma_still_matches_and_a_trailing_comma_is_one_unit()
    {
        Assert.Equal("Copenhagen, HQ", (await MatchAsync("copenhagen, hq", "Manager")).Assignment.Unit);
        Assert.Equal("Support", (await MatchAsync("Support,", "Manager")).Assignment.Unit);
    }

    [Fact]
    public async Task User_types_are_comma_separated_each_match_is_assigned_and_the_others_are_ignored_but_reported()
    {
        var match = await MatchAsync("Sales", "Manager, Pilot,trainer, , manager,Astronaut,pilot");

        Assert.Equal(["Manager", "Trainer"], match.Assignment.UserTypes);
        Assert.Equal(["Pilot", "Astronaut"], match.UnmatchedUserTypeValues);
        Assert.Null(match.Note);
    }

    [Fact]
    public async Task No_matching_user_type_means_unassigned_with_a_note()
    {
        var match = await MatchAsync("Sales", "Pilot");

        Assert.Equal("Sales", match.Assignment.Unit);
        Assert.Empty(match.Assignment.UserTypes);
        Assert.True(match.Assignment.IsUnassigned);
        Assert.Equal("no user type: JobTitle \"Pilot\" matches no user type", match.Note);
    }

    [Fact]
    public async Task Empty_fields_give_an_unassigned_user_without_unmatched_values()
    {
        var match = await MatchAsync(null, " ");

        Assert.Same(EmployeeAssignment.Unassigned, match.Assignment);
        Assert.Null(match.UnmatchedUnitValue);
        Assert.Empty(match.UnmatchedUserTypeValues);
        Assert.Equal("no unit: Department is empty; no user type: JobTitle is empty", match.Note);
        Assert.NotSame(AssignmentMatch.None, match);
    }

    [Fact]
    public async Task Aliases_map_directory_values_to_names()
    {
        var profile = Profile(m =>
        {
            m.UnitAliases = new Dictionary<string, string> { ["CPH"] = "copenhagen, hq", ["Mkt"] = "Marketing" };
            m.UserTypeAliases = new Dictionary<string, string> { ["Mgr"] = "Manager" };
        });

        var aliased = await MatchAsync("cph", "MGR, Employee", profile);
        Assert.Equal("Copenhagen, HQ", aliased.Assignment.Unit);
        Assert.Equal(["Manager", "Employee"], aliased.Assignment.UserTypes);

        var brokenAlias = await MatchAsync("Mkt", "Employee", profile);
        Assert.Null(brokenAlias.Assignment.Unit);
        Assert.Equal("Mkt", brokenAlias.UnmatchedUnitValue);
        Assert.Equal("no unit: Department \"Mkt\" is an alias of \"Marketing\", which is not a unit", brokenAlias.Note);
    }

    [Fact]
    public async Task Case_sensitive_matching_needs_the_exact_spelling()
    {
        var profile = Profile(m => m.CaseSensitive = true);

        Assert.Null((await MatchAsync("sales", "Manager", profile)).Assignment.Unit);
        Assert.Equal("Sales", (await MatchAsync("Sales", "Manager", profile)).Assignment.Unit);
    }

    [Fact]
    public async Task Names_come_from_the_catalog_and_the_profile_together()
    {
        var profile = Profile(m =>
        {
            m.Units = [];
            m.UserTypes = ["Volunteer"];
        });
        var catalog = new Catalog(["Warehouse"], ["Driver"]);

        var match = await MatchAsync("warehouse", "Driver, Volunteer", profile, catalog);

        Assert.Equal("Warehouse", match.Assignment.Unit);
        Assert.Equal(["Driver", "Volunteer"], match.Assignment.UserTypes);
        Assert.Equal(["contoso", "contoso"], catalog.Requests);
    }

    [Fact]
    public async Task Matching_configured_without_any_unit_names_fails_the_run_start_with_the_fix()
    {
        var profile = Profile(m => m.Units = []);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new AssignmentMatcher().PrepareAsync(Context(profile)).AsTask());

        Assert.StartsWith("Matching has UnitField and UserTypeField set but no unit names to match against", error.Message, StringComparison.Ordinal);
        Assert.Contains(".AddAssignmentCatalog<TCatalog>()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_matching_configured_the_matcher_returns_None_and_reads_nothing()
    {
        var context = Context();
        var matcher = new AssignmentMatcher();
        await matcher.PrepareAsync(context);

        Assert.Same(AssignmentMatch.None, matcher.Match(User("u1", ("department", "Sales")), context));
        Assert.Empty(matcher.GetRequiredProperties(context));
    }

    [Fact]
    public void Matching_before_prepare_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AssignmentMatcher().Match(User("u1"), Context(Profile())));

        Assert.Contains("Call PrepareAsync(context)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MatchingField.JobTitle, "jobTitle")]
    [InlineData(MatchingField.CompanyName, "companyName")]
    [InlineData(MatchingField.Department, "department")]
    [InlineData(MatchingField.StreetAddress, "streetAddress")]
    [InlineData(MatchingField.State, "state")]
    [InlineData(MatchingField.Country, "country")]
    [InlineData(MatchingField.OfficeLocation, "officeLocation")]
    [InlineData(MatchingField.City, "city")]
    [InlineData(MatchingField.PostalCode, "postalCode")]
    public async Task Each_Ziik_field_reads_its_Graph_property(MatchingField field, string property)
    {
        var profile = Profile(m =>
        {
            m.UnitField = field;
            m.UserTypeField = field == MatchingField.JobTitle ? MatchingField.Department : MatchingField.JobTitle;
        });
        var context = Context(profile);
        var matcher = new AssignmentMatcher();
        await matcher.PrepareAsync(context);

        var match = matcher.Match(User("u1", ("jobTitle", "Employee"), ("department", "Employee"), (property, "Support")), context);

        Assert.Contains(property, matcher.GetRequiredProperties(context));
        Assert.Equal(2, matcher.GetRequiredProperties(context).Count);
        Assert.Equal("Support", match.Assignment.Unit);
    }

    private sealed class Catalog(string[] units, string[] userTypes) : IAssignmentCatalog
    {
        public List<string> Requests { get; } = [];

        public ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken cancellationToken = default)
        {
            Requests.Add(tenantId);
            return ValueTask.FromResult<IReadOnlyCollection<string>>(units);
        }

        public ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken cancellationToken = default)
        {
            Requests.Add(tenantId);
            return ValueTask.FromResult<IReadOnlyCollection<string>>(userTypes);
        }
    }
}
