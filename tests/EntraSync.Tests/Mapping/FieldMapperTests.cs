using EntraSync.Mapping;
using Microsoft.Extensions.DependencyInjection;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Mapping;

public sealed class FieldMapperTests
{
    private static readonly DirectoryUser Ada = new()
    {
        Id = "u1",
        Properties = User(
            "u1",
            ("givenName", "Ada"),
            ("surname", " Lovelace "),
            ("displayName", "Ada Lovelace"),
            ("businessPhones", new[] { "", "+45 1111", "+45 2222" }),
            ("jobTitle", "Engineer"),
            ("department", ""),
            ("mobilePhone", null),
            ("city", "Copenhagen"),
            ("otherMails", new[] { "ada@home.example", "ada@old.example" }),
            ("onPremisesExtensionAttributes/extensionAttribute3", "CC-42"),
            ("extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter", "4711"),
            ("accountEnabled", true),
            (DirectoryUser.MemberOfProperty, new[] { "Sales", "Denmark" })).Properties,
        Photo = new DirectoryPhoto { ETag = "\"BA09D118\"" },
    };

    [Fact]
    public void Default_map_fills_the_Xink_fields_in_order()
    {
        var fields = new FieldMapper().Map(Ada, "ada@contoso.com", Context());

        Assert.Equal(
            ["First Name", "Last Name", "Display Name", "Email", "Phone", "Job Title", "Department", "Mobile", "Fax", "Company", "Street", "City", "State", "Zip", "Country", "Photo"],
            fields.Keys);
        Assert.Equal("Ada", fields["First Name"]);
        Assert.Equal("Lovelace", fields["Last Name"]);
        Assert.Equal("ada@contoso.com", fields["Email"]);
        Assert.Equal("+45 1111", fields["Phone"]);
        Assert.Null(fields["Department"]);
        Assert.Null(fields["Mobile"]);
        Assert.Null(fields["Fax"]);
        Assert.Equal("Copenhagen", fields["City"]);
        Assert.Equal("\"BA09D118\"", fields["Photo"]);
    }

    [Fact]
    public void A_field_the_map_names_twice_keeps_its_first_place_and_takes_the_later_value()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields = [new FieldMapping { Name = "Title", Source = "jobTitle" }, new FieldMapping { Name = "City", Source = "city" }, new FieldMapping { Name = "Title", Constant = "Boss" }];

        var fields = new FieldMapper().Map(Ada, null, Context(profile));

        Assert.Equal(["Title", "City"], fields.Keys);
        Assert.Equal(2, fields.Count);
        Assert.Equal([new("Title", "Boss"), new KeyValuePair<string, string?>("City", "Copenhagen")], fields);
        Assert.False(fields.ContainsKey("title")); // field names are exact, as before
        Assert.False(fields.TryGetValue("Missing", out _));
        Assert.Throws<KeyNotFoundException>(() => fields["Missing"]);
    }

    [Fact]
    public void A_field_map_changed_in_place_between_runs_maps_with_its_new_names()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields = [new FieldMapping { Name = "Title", Source = "jobTitle" }];
        var mapper = new FieldMapper();
        Assert.Equal(["Title"], mapper.Map(Ada, null, Context(profile)).Keys);

        profile.Fields.Fields[0] = new FieldMapping { Name = "Job", Source = "jobTitle" };
        profile.Fields.Fields.Add(new FieldMapping { Name = "Town", Source = "city" });

        var fields = mapper.Map(Ada, null, Context(profile));
        Assert.Equal(["Job", "Town"], fields.Keys);
        Assert.Equal("Engineer", fields["Job"]);
        Assert.Equal("Copenhagen", fields["Town"]);
    }

    [Fact]
    public void Default_map_selects_only_the_properties_it_reads()
    {
        var properties = new FieldMapper().GetRequiredProperties(Context());

        Assert.Equal(
            new[] { "businessPhones", "city", "companyName", "country", "department", "displayName", "faxNumber", "givenName", "jobTitle", "mobilePhone", "postalCode", "state", "streetAddress", "surname" },
            properties.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fields_can_be_removed_reordered_remapped_and_added_in_code()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields =
        [
            new() { Name = "Cost Center", Source = "onPremisesExtensionAttributes/extensionAttribute3" },
            new() { Name = FieldNames.LastName, Source = "surname" },
            new() { Name = FieldNames.FirstName, Source = "givenName" },
            new() { Name = "Budget", Source = "extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter" },
            new() { Name = "Enabled", Source = "accountEnabled" },
        ];
        var mapper = new FieldMapper();

        var fields = mapper.Map(Ada, null, Context(profile));

        Assert.Equal(["Cost Center", "Last Name", "First Name", "Budget", "Enabled"], fields.Keys);
        Assert.Equal("CC-42", fields["Cost Center"]);
        Assert.Equal("4711", fields["Budget"]);
        Assert.Equal("true", fields["Enabled"]);
        Assert.Equal(
            new[] { "accountEnabled", "extension_b7d8e648520f41d3b9c0fdeb91768a0a_costCenter", "givenName", "onPremisesExtensionAttributes", "surname" },
            mapper.GetRequiredProperties(Context(profile)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Multi_valued_sources_give_the_first_item_or_all_joined()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields =
        [
            new() { Name = "First phone", Source = "businessPhones" },
            new() { Name = "All phones", Source = "businessPhones", MultiValue = MultiValueMode.Join, Separator = " / " },
            new() { Name = "Groups", Source = "memberOf", MultiValue = MultiValueMode.Join },
            new() { Name = "Other mail", Source = "otherMails" },
        ];

        var fields = new FieldMapper().Map(Ada, null, Context(profile));

        Assert.Equal("+45 1111", fields["First phone"]);
        Assert.Equal("+45 1111 / +45 2222", fields["All phones"]);
        Assert.Equal("Sales, Denmark", fields["Groups"]);
        Assert.Equal("ada@home.example", fields["Other mail"]);
        Assert.Contains("memberOf", new FieldMapper().GetRequiredProperties(Context(profile)));
    }

    [Fact]
    public void Constants_defaults_and_built_in_transforms_apply()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields =
        [
            new() { Name = "Source", Constant = "Entra ID" },
            new() { Name = "Department", Source = "department", Default = "Unknown" },
            new() { Name = "Mobile", Source = "mobilePhone", Default = "n/a" },
            new() { Name = "City", Source = "city", Transform = "UPPER" },
            new() { Name = "Title", Source = "jobTitle", Transform = "lower", Default = "none" },
            new() { Name = "Country", Source = "country", Default = "  " },
        ];

        var fields = new FieldMapper().Map(Ada, null, Context(profile));

        Assert.Equal("Entra ID", fields["Source"]);
        Assert.Equal("Unknown", fields["Department"]);
        Assert.Equal("n/a", fields["Mobile"]);
        Assert.Equal("COPENHAGEN", fields["City"]);
        Assert.Equal("engineer", fields["Title"]);
        Assert.Null(fields["Country"]);
        Assert.DoesNotContain("Source", new FieldMapper().GetRequiredProperties(Context(profile)));
    }

    [Fact]
    public void A_transform_registered_in_code_sees_the_value_and_the_user_and_its_empty_result_falls_back_to_the_default()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync()
            .AddFieldTransform("initials", (value, context) => value is null ? null : $"{value[0]}.{context.User.GetString("surname")?.Trim()[0]}.")
            .AddFieldTransform("drop", (_, _) => "");
        using var provider = services.BuildServiceProvider();
        var mapper = provider.GetRequiredService<IFieldMapper>();
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields =
        [
            new() { Name = "Initials", Source = "givenName", Transform = "Initials" },
            new() { Name = "Dropped", Source = "givenName", Transform = "drop", Default = "fallback" },
        ];

        var fields = mapper.Map(Ada, null, Context(profile));

        Assert.Equal("A.L.", fields["Initials"]);
        Assert.Equal("fallback", fields["Dropped"]);
    }

    [Fact]
    public void An_unregistered_transform_fails_the_user_with_a_message_naming_the_fix()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Fields.Fields = [new() { Name = "City", Source = "city", Transform = "slugify" }];

        var error = Assert.Throws<FormatException>(() => new FieldMapper().Map(Ada, null, Context(profile)));

        Assert.Contains("Fields:Fields:0:Transform names transform \"slugify\" for field \"City\", which is not registered", error.Message, StringComparison.Ordinal);
        Assert.Contains(".AddFieldTransform(\"slugify\"", error.Message, StringComparison.Ordinal);
    }
}
