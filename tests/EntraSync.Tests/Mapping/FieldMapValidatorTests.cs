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

        // Configuration binding appends after the 16 defaults, so messages give the index the configuration used.
        Assert.Equal("EntraSync:Tenants:0:Fields:Fields:0:Source \"jobTtle\" is not a Graph v1.0 user property. Did you mean \"jobTitle\"?", error);
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
        Assert.StartsWith("EntraSync:Tenants:0:Fields:Fields:0:Source is empty for field \"Empty\". Set a Graph user property", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("EntraSync:Tenants:0:Fields:Fields:1:Source is \"city\" and Constant is set for field \"Both\"", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dropping_the_defaults_without_a_mandatory_field_is_an_error()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.IncludeDefaultFields = false;
        profile.Fields.Fields.Add(new FieldMapping { Name = FieldNames.FirstName, Source = "givenName" });

        var error = Assert.Single(Errors(profile));

        Assert.StartsWith("EntraSync:Tenants:0:MandatoryFields names \"Last Name\", but Fields:IncludeDefaultFields is false", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_fields_are_reported_at_their_configuration_index()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.IncludeDefaultFields = false;
        profile.Fields.Fields.Add(new FieldMapping { Name = FieldNames.FirstName, Source = "givenName" });
        profile.Fields.Fields.Add(new FieldMapping { Name = FieldNames.LastName, Source = "surnam" });
        profile.MandatoryFields = [FieldNames.FirstName];

        var error = Assert.Single(Errors(profile));

        Assert.StartsWith("EntraSync:Tenants:0:Fields:Fields:1:Source \"surnam\" is not a Graph v1.0 user property. Did you mean \"surname\"?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Levenshtein_distance_counts_single_character_edits()
    {
        Assert.Equal(0, EntraSync.Mapping.Internal.GraphUserProperties.Distance("city", "city"));
        Assert.Equal(1, EntraSync.Mapping.Internal.GraphUserProperties.Distance("city", "cty"));
        Assert.Equal(3, EntraSync.Mapping.Internal.GraphUserProperties.Distance("kitten", "sitting"));
        Assert.Equal(4, EntraSync.Mapping.Internal.GraphUserProperties.Distance("", "mail"));
    }
}
