using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Filtering;

public sealed class UserFilterValidatorTests
{
    private static IReadOnlyList<string> ErrorsFor(params FilterRule[] rules)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.Groups.Add(new FilterGroup { Rules = rules });
        return Errors(profile);
    }

    [Fact]
    public void A_valid_rule_set_has_no_errors() => Assert.Empty(ErrorsFor(
        new FilterRule { Property = "department", Value = "Sales" },
        new FilterRule { Property = "employeeHireDate", Operator = FilterOperator.LessThan, Value = "2024-01-01" },
        new FilterRule { Property = "accountEnabled", Operator = FilterOperator.IsTrue }));

    [Fact]
    public void An_unknown_property_suggests_the_closest_names()
    {
        var error = Assert.Single(ErrorsFor(new FilterRule { Property = "departmnet", Value = "x" }));

        Assert.Equal("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Property \"departmnet\" is not a Graph v1.0 user property. Did you mean \"department\"?", error);
    }

    [Fact]
    public void Operators_missing_their_value_are_errors()
    {
        var errors = ErrorsFor(
            new FilterRule { Property = "department", Operator = FilterOperator.StartsWith },
            new FilterRule { Property = "country", Operator = FilterOperator.In },
            new FilterRule { Property = "jobTitle", Operator = FilterOperator.MatchesRegex },
            new FilterRule { Property = "employeeId", Operator = FilterOperator.GreaterThan, Value = "ten" });

        Assert.Equal(4, errors.Count);
        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value is missing for operator StartsWith.", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:1:Values is empty for operator In.", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:2:Value is missing for operator MatchesRegex.", errors[2], StringComparison.Ordinal);
        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:3:Value \"ten\" is neither a number nor a date", errors[3], StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_regular_expression_is_an_error_with_the_parser_message()
    {
        var error = Assert.Single(ErrorsFor(new FilterRule { Property = "jobTitle", Operator = FilterOperator.NotMatchesRegex, Value = "(unclosed" }));

        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value \"(unclosed\" is not a valid regular expression:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_group_and_an_empty_pattern_are_errors()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.Groups.Add(new FilterGroup());
        profile.Filter.PeopleOnly.ServiceAccountPatterns.Add(" ");

        var errors = Errors(profile);

        Assert.Equal(
            [
                "EntraSync:Tenants:0:Filter:Groups:0:Rules is empty, so the group lets every user in. Add rules to the group or remove it.",
                "EntraSync:Tenants:0:Filter:PeopleOnly:ServiceAccountPatterns:0 is empty. Use a wildcard pattern such as \"svc-*\" or remove it.",
            ],
            errors);
    }

    [Fact]
    public void An_undefined_operator_lists_the_valid_ones()
    {
        var error = Assert.Single(ErrorsFor(new FilterRule { Property = "city", Operator = (FilterOperator)99 }));

        Assert.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Operator is 99. Use one of EqualTo, NotEqualTo,", error, StringComparison.Ordinal);
    }
}
