using EntraSync.Filtering;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Filtering;

public sealed class UserFilterTests
{
    private static readonly DirectoryUser Bob = User(
        "u1",
        ("department", "Sales"),
        ("jobTitle", "Account Manager"),
        ("mail", "bob@contoso.com"),
        ("country", "DK"),
        ("officeLocation", null),
        ("accountEnabled", true),
        ("onPremisesSyncEnabled", false),
        ("employeeId", "1200"),
        ("employeeHireDate", "2021-03-01T00:00:00Z"),
        ("proxyAddresses", new[] { "SMTP:bob@contoso.com", "smtp:bob@contoso.dk" }),
        ("onPremisesExtensionAttributes/extensionAttribute1", "Staff"),
        ("memberOf", new[] { "All Staff", "Sales DK" }));

    private static SyncProfile Rules(params FilterRule[] rules)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.Groups.Add(new FilterGroup { Rules = rules });
        return profile;
    }

    private static ScopeDecision Evaluate(DirectoryUser user, SyncProfile profile) => new UserFilter().Evaluate(user, Context(profile));

    private static FilterRule Rule(string property, FilterOperator op, string? value = null) => new() { Property = property, Operator = op, Value = value };

    [Theory]
    [InlineData("department", FilterOperator.EqualTo, "sales", true)]
    [InlineData("department", FilterOperator.EqualTo, "Sale", false)]
    [InlineData("department", FilterOperator.NotEqualTo, "Marketing", true)]
    [InlineData("department", FilterOperator.NotEqualTo, "SALES", false)]
    [InlineData("officeLocation", FilterOperator.NotEqualTo, "Aarhus", true)]
    [InlineData("jobTitle", FilterOperator.StartsWith, "account", true)]
    [InlineData("jobTitle", FilterOperator.StartsWith, "Manager", false)]
    [InlineData("jobTitle", FilterOperator.EndsWith, "MANAGER", true)]
    [InlineData("jobTitle", FilterOperator.EndsWith, "Account", false)]
    [InlineData("mail", FilterOperator.Contains, "@CONTOSO.", true)]
    [InlineData("mail", FilterOperator.Contains, "fabrikam", false)]
    [InlineData("country", FilterOperator.In, "SE, dk ,NO", true)]
    [InlineData("country", FilterOperator.In, "SE,NO", false)]
    [InlineData("jobTitle", FilterOperator.MatchesRegex, "^account\\s+(manager|executive)$", true)]
    [InlineData("jobTitle", FilterOperator.MatchesRegex, "^Manager", false)]
    [InlineData("jobTitle", FilterOperator.NotMatchesRegex, "intern|trainee", true)]
    [InlineData("jobTitle", FilterOperator.NotMatchesRegex, "manager", false)]
    [InlineData("officeLocation", FilterOperator.IsNull, null, true)]
    [InlineData("givenName", FilterOperator.IsNull, null, true)]
    [InlineData("department", FilterOperator.IsNull, null, false)]
    [InlineData("department", FilterOperator.IsNotNull, null, true)]
    [InlineData("officeLocation", FilterOperator.IsNotNull, null, false)]
    [InlineData("accountEnabled", FilterOperator.IsTrue, null, true)]
    [InlineData("onPremisesSyncEnabled", FilterOperator.IsTrue, null, false)]
    [InlineData("onPremisesSyncEnabled", FilterOperator.IsFalse, null, true)]
    [InlineData("accountEnabled", FilterOperator.IsFalse, null, false)]
    [InlineData("officeLocation", FilterOperator.IsFalse, null, false)]
    [InlineData("employeeId", FilterOperator.GreaterThan, "999", true)]
    [InlineData("employeeId", FilterOperator.GreaterThan, "1200", false)]
    [InlineData("employeeId", FilterOperator.LessThan, "1200.5", true)]
    [InlineData("employeeId", FilterOperator.LessThan, "100", false)]
    [InlineData("employeeHireDate", FilterOperator.GreaterThan, "2020-12-31", true)]
    [InlineData("employeeHireDate", FilterOperator.GreaterThan, "2021-03-01T00:00:00Z", false)]
    [InlineData("employeeHireDate", FilterOperator.LessThan, "2021-03-01T00:00:01+00:00", true)]
    [InlineData("employeeHireDate", FilterOperator.LessThan, "2021-01-01", false)]
    [InlineData("jobTitle", FilterOperator.GreaterThan, "10", false)]
    [InlineData("onPremisesExtensionAttributes/extensionAttribute1", FilterOperator.EqualTo, "staff", true)]
    [InlineData("memberOf", FilterOperator.EqualTo, "sales dk", true)]
    [InlineData("memberOf", FilterOperator.NotEqualTo, "All Staff", false)]
    [InlineData("proxyAddresses", FilterOperator.EndsWith, "@contoso.dk", true)]
    public void Every_operator_decides_as_documented(string property, FilterOperator op, string? value, bool inScope)
    {
        var decision = Evaluate(Bob, Rules(Rule(property, op, value)));

        Assert.Equal(inScope, decision.IsInScope);
    }

    [Fact]
    public void In_reads_the_values_list()
    {
        var rule = new FilterRule { Property = "country", Operator = FilterOperator.In, Values = ["SE", "DK"] };

        Assert.True(Evaluate(Bob, Rules(rule)).IsInScope);
    }

    [Fact]
    public void Comparisons_respect_case_when_asked_globally_or_per_rule()
    {
        var profile = Rules(Rule("department", FilterOperator.EqualTo, "sales"));
        profile.Filter.CaseSensitive = true;
        Assert.False(Evaluate(Bob, profile).IsInScope);

        profile.Filter.Groups[0].Rules[0].CaseSensitive = false;
        Assert.True(Evaluate(Bob, profile).IsInScope);

        var regex = Rules(new FilterRule { Property = "jobTitle", Operator = FilterOperator.MatchesRegex, Value = "^account", CaseSensitive = true });
        Assert.False(Evaluate(Bob, regex).IsInScope);
    }

    [Fact]
    public void Rules_in_a_group_are_ANDed_and_the_first_failing_rule_is_the_reason()
    {
        var profile = Rules(Rule("department", FilterOperator.EqualTo, "Sales"), Rule("country", FilterOperator.EqualTo, "SE"), Rule("mail", FilterOperator.IsNull));

        var decision = Evaluate(Bob, profile);

        Assert.False(decision.IsInScope);
        Assert.Equal("filter: country equals \"SE\" (value: \"DK\")", decision.Reason);
    }

    [Fact]
    public void Groups_are_ORed_and_an_excluded_user_gets_the_failing_rule_of_each_group()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.Groups.Add(new FilterGroup { Name = "Nordics", Rules = [Rule("country", FilterOperator.In, "SE,NO")] });
        profile.Filter.Groups.Add(new FilterGroup { Rules = [Rule("officeLocation", FilterOperator.IsNotNull)] });

        var decision = Evaluate(Bob, profile);
        Assert.Equal("filter: no group holds; group \"Nordics\": country in (SE, NO) (value: \"DK\"); group 2: officeLocation is not empty (value: empty)", decision.Reason);

        profile.Filter.Groups.Add(new FilterGroup { Rules = [Rule("department", FilterOperator.EqualTo, "Sales")] });
        Assert.True(Evaluate(Bob, profile).IsInScope);
    }

    [Fact]
    public void A_property_the_source_did_not_return_counts_as_empty_and_says_so()
    {
        var decision = Evaluate(Bob, Rules(Rule("city", FilterOperator.EqualTo, "Aarhus")));

        Assert.Equal("filter: city equals \"Aarhus\" (value: not returned)", decision.Reason);
    }

    [Fact]
    public void List_values_are_shown_in_the_reason()
    {
        var decision = Evaluate(Bob, Rules(Rule("memberOf", FilterOperator.Contains, "Board")));

        Assert.Equal("filter: memberOf contains \"Board\" (value: [\"All Staff\", \"Sales DK\"])", decision.Reason);
    }

    [Fact]
    public void No_groups_means_everyone_is_in_scope() => Assert.Same(ScopeDecision.InScope, Evaluate(Bob, new SyncProfile { TenantId = "contoso" }));

    [Fact]
    public void Required_properties_are_exactly_the_top_level_properties_the_rules_read()
    {
        var profile = Rules(
            Rule("Department", FilterOperator.EqualTo, "Sales"),
            Rule("onPremisesExtensionAttributes/extensionAttribute7", FilterOperator.IsNotNull),
            Rule("extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter", FilterOperator.IsNotNull),
            Rule("memberOf", FilterOperator.EqualTo, "Staff"));

        var properties = new UserFilter().GetRequiredProperties(Context(profile));

        Assert.Equal(
            new[] { "department", "extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter", "memberOf", "onPremisesExtensionAttributes" },
            properties.Order(StringComparer.Ordinal));
        Assert.Empty(new UserFilter().GetRequiredProperties(Context()));
    }
}
