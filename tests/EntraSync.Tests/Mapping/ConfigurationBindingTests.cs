using System.Text;
using EntraSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EntraSync.Tests.Mapping;

public sealed class ConfigurationBindingTests
{
    private const string Json = """
    {
      "EntraSync": {
        "Tenants": [
          {
            "TenantId": "contoso",
            "Fields": {
              "Fields": [
                { "Name": "Job Title", "Source": "extension_b7d8e648520f41d3b9c0fdeb91768a0a_title", "Default": "Staff" },
                { "Name": "Cost Center", "Source": "onPremisesExtensionAttributes/extensionAttribute3" },
                { "Name": "Groups", "Source": "memberOf", "MultiValue": "Join", "Separator": "; " },
                { "Name": "Origin", "Constant": "Entra ID", "Transform": "upper" }
              ]
            },
            "Filter": {
              "CaseSensitive": true,
              "Groups": [
                { "Name": "Sales", "Rules": [
                  { "Property": "department", "Operator": "EqualTo", "Value": "Sales" },
                  { "Property": "country", "Operator": "In", "Values": [ "DK", "SE" ] } ] },
                { "Rules": [ { "Property": "jobTitle", "Operator": "MatchesRegex", "Value": "^CEO$", "CaseSensitive": false } ] }
              ],
              "PeopleOnly": { "Enabled": true, "ExcludeUnlicensed": false, "ServiceAccountPatterns": [ "robot-*" ] }
            },
            "Matching": {
              "UnitField": "Department",
              "UserTypeField": "jobTitle",
              "Units": [ "Sales", "Support" ],
              "UserTypes": [ "Manager", "Employee" ],
              "UnitAliases": { "CPH": "Sales" }
            }
          }
        ]
      }
    }
    """;

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void Field_map_filters_and_matching_bind_from_JSON()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync(Configuration(Json).GetSection("EntraSync")).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var provider = services.BuildServiceProvider();

        var profile = Assert.Single(provider.GetRequiredService<IOptions<EntraSyncOptions>>().Value.Tenants);

        var fields = profile.Fields.GetEffectiveFields();
        Assert.Equal(19, fields.Count);
        Assert.Equal(FieldNames.JobTitle, fields[5].Name);
        Assert.Equal("extension_b7d8e648520f41d3b9c0fdeb91768a0a_title", fields[5].Source);
        Assert.Equal("Staff", fields[5].Default);
        Assert.Equal(["Cost Center", "Groups", "Origin"], fields.Skip(16).Select(f => f.Name));
        Assert.Equal(MultiValueMode.Join, fields[17].MultiValue);
        Assert.Equal("; ", fields[17].Separator);
        Assert.Equal("Entra ID", fields[18].Constant);
        Assert.Equal("upper", fields[18].Transform);

        Assert.True(profile.Filter.CaseSensitive);
        Assert.Equal(2, profile.Filter.Groups.Count);
        Assert.Equal("Sales", profile.Filter.Groups[0].Name);
        Assert.Equal(FilterOperator.In, profile.Filter.Groups[0].Rules[1].Operator);
        Assert.Equal(["DK", "SE"], profile.Filter.Groups[0].Rules[1].Values);
        Assert.False(profile.Filter.Groups[1].Rules[0].CaseSensitive);
        Assert.True(profile.Filter.PeopleOnly.Enabled);
        Assert.False(profile.Filter.PeopleOnly.ExcludeUnlicensed);
        Assert.True(profile.Filter.PeopleOnly.ExcludeGuests);
        Assert.Equal(["robot-*"], profile.Filter.PeopleOnly.ServiceAccountPatterns);

        Assert.Equal(MatchingField.Department, profile.Matching.UnitField);
        Assert.Equal(MatchingField.JobTitle, profile.Matching.UserTypeField);
        Assert.True(profile.Matching.IsConfigured);
        Assert.Equal(["Sales", "Support"], profile.Matching.Units);
        Assert.Equal("Sales", profile.Matching.UnitAliases["CPH"]);
    }

    [Fact]
    public void JSON_can_replace_the_default_fields()
    {
        const string json = """
        { "EntraSync": { "Tenants": [ { "TenantId": "t",
          "Fields": { "IncludeDefaultFields": false, "Fields": [
            { "Name": "Email", "Source": "email" }, { "Name": "Last Name", "Source": "surname" }, { "Name": "First Name", "Source": "givenName" } ] } } ] } }
        """;
        var services = new ServiceCollection();
        services.AddEntraUserSync(Configuration(json).GetSection("EntraSync")).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var provider = services.BuildServiceProvider();

        var profile = Assert.Single(provider.GetRequiredService<IOptions<EntraSyncOptions>>().Value.Tenants);

        Assert.Equal(["Email", "Last Name", "First Name"], profile.Fields.GetEffectiveFields().Select(f => f.Name));
    }

    [Fact]
    public async Task Configuration_errors_stop_the_host_at_start_up_with_messages_naming_the_option_and_the_fix()
    {
        const string json = """
        { "EntraSync": { "Tenants": [ { "TenantId": "contoso",
          "Fields": { "Fields": [ { "Name": "Desk", "Source": "officeLocaton" }, { "Name": "Code", "Source": "city", "Transform": "slugify" } ] },
          "Filter": { "Groups": [ { "Rules": [ { "Property": "department", "Operator": "MatchesRegex", "Value": "([a-z" },
                                              { "Property": "employeeHireDate", "Operator": "GreaterThan", "Value": "last year" } ] } ] },
          "Matching": { "UnitField": "Department", "UserTypeField": "Department" } } ] } }
        """;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddEntraUserSync(Configuration(json).GetSection("EntraSync")).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var messages = error.Failures.ToList();
        Assert.Contains("EntraSync:Tenants:0:Fields:Fields:0:Source \"officeLocaton\" is not a Graph v1.0 user property. Did you mean \"officeLocation\"?", messages);
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Fields:Fields:1:Transform names transform \"slugify\" for field \"Code\", which is not registered.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value \"([a-z\" is not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:1:Value \"last year\" is neither a number nor a date", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Matching:UserTypeField is Department, the same field as EntraSync:Tenants:0:Matching:UnitField.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Matching has UnitField and UserTypeField set but no unit names to match against", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registered_catalog_and_transform_satisfy_start_up_validation()
    {
        const string json = """
        { "EntraSync": { "Tenants": [ { "TenantId": "contoso",
          "Fields": { "Fields": [ { "Name": "Code", "Source": "city", "Transform": "slugify" } ] },
          "Matching": { "UnitField": "Department", "UserTypeField": "JobTitle" } } ] } }
        """;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddEntraUserSync(Configuration(json).GetSection("EntraSync"))
            .AddInMemoryStores()
            .AddDirectorySource<InMemoryDirectory>()
            .AddAssignmentCatalog<EmptyCatalog>()
            .AddFieldTransform("slugify", (value, _) => value?.Replace(' ', '-'));
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    private sealed class EmptyCatalog : IAssignmentCatalog
    {
        public ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyCollection<string>>([]);

        public ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyCollection<string>>([]);
    }
}
