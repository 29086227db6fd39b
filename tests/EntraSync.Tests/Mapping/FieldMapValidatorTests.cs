using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Mapping;

public sealed class FieldMapValidatorTests
{
    private static SyncProfile WithField(string source, string name = "Extra")
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields.Add(new FieldMapping { Name = name, Source = source });
        return profile;
    }

    [Fact]
    public void The_default_profile_is_valid() => Assert.Empty(Errors(new SyncProfile { TenantId = "contoso" }));

    [Theory]
    [InlineData("jobTitle")]
    [InlineData("JOBTITLE")]
    [InlineData("onPremisesExtensionAttributes/extensionAttribute15")]
    [InlineData("employeeOrgData/division")]
    [InlineData("extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter")]
    [InlineData("memberOf")]
    [InlineData("proxyAddresses")]
    [InlineData("employeeHireDate")]
    public void Known_sources_are_accepted(string source) => Assert.Empty(Errors(WithField(source)));

    [Fact]
    public void An_unknown_property_names_the_option_and_suggests_the_closest_names()
    {
        var error = Assert.Single(Errors(WithField("jobTtle")));

        Assert.Equal("EntraSync:Tenants:0:Fields:Fields:16:Source \"jobTtle\" is not a Graph v1.0 user property. Did you mean \"jobTitle\"?", error);
    }

    [Fact]
    public void An_unknown_property_far_from_every_name_gets_no_suggestion()
    {
        var error = Assert.Single(Errors(WithField("favouriteColourOfTheWeek")));

        Assert.EndsWith("\"favouriteColourOfTheWeek\" is not a Graph v1.0 user property.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("skills")]
    [InlineData("hireDate")]
    [InlineData("mailboxSettings")]
    [InlineData("aboutMe")]
    public void Properties_only_returned_for_a_single_user_are_rejected_with_that_reason(string source)
    {
        var error = Assert.Single(Errors(WithField(source)));

        Assert.Contains("only returned for a single user, not when listing users (Graph answers 501 Not Implemented)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nested_property_that_does_not_exist_suggests_its_siblings()
    {
        var error = Assert.Single(Errors(WithField("onPremisesExtensionAttributes/extensionAtribute3")));

        Assert.Contains("onPremisesExtensionAttributes has no property \"extensionAtribute3\". Did you mean \"extensionAttribute3\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complex_property_without_a_child_asks_for_one()
    {
        var error = Assert.Single(Errors(WithField("onPremisesExtensionAttributes")));

        Assert.Contains("holds several values; name one of them", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_directory_extension_shows_the_expected_shape()
    {
        var error = Assert.Single(Errors(WithField("extension_costCenter")));

        Assert.Contains("extension_<appId without dashes, 32 hex digits>_<name>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_needs_a_source_or_a_constant_but_not_both()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields.Add(new FieldMapping { Name = "Empty" });
        profile.Fields.Fields.Add(new FieldMapping { Name = "Both", Source = "city", Constant = "x" });

        var errors = Errors(profile);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("EntraSync:Tenants:0:Fields:Fields:16:Source is empty for field \"Empty\". Set a Graph user property", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("EntraSync:Tenants:0:Fields:Fields:17:Source is \"city\" and Constant is set for field \"Both\"", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_name_used_twice_is_an_error()
    {
        var error = Assert.Single(Errors(WithField("jobTitle", FieldNames.City)));

        Assert.Equal("EntraSync:Tenants:0:Fields:Fields:16:Name \"City\" appears twice. Each field name must be unique.", error);
    }

    [Fact]
    public void Levenshtein_distance_counts_single_character_edits()
    {
        Assert.Equal(0, EntraSync.Graph.Internal.NameSuggestions.Distance("city", "city"));
        Assert.Equal(1, EntraSync.Graph.Internal.NameSuggestions.Distance("city", "cty"));
        Assert.Equal(3, EntraSync.Graph.Internal.NameSuggestions.Distance("kitten", "sitting"));
        Assert.Equal(4, EntraSync.Graph.Internal.NameSuggestions.Distance("", "mail"));
    }
}
