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
                { "Name": "First Name", "Source": "givenName" },
                { "Name": "Last Name", "Source": "surname" },
                { "Name": "Email", "Source": "email" },
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

        var fields = profile.Fields.Fields;
        Assert.Equal([FieldNames.FirstName, FieldNames.LastName, FieldNames.Email, FieldNames.JobTitle, "Cost Center", "Groups", "Origin"], fields.Select(f => f.Name));
        Assert.Equal("extension_b7d8e648520f41d3b9c0fdeb91768a0a_title", fields[3].Source);
        Assert.Equal("Staff", fields[3].Default);
        Assert.Equal(MultiValueMode.Join, fields[5].MultiValue);
        Assert.Equal("; ", fields[5].Separator);
        Assert.Equal("Entra ID", fields[6].Constant);
        Assert.Equal("upper", fields[6].Transform);

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
    public void A_field_list_in_JSON_replaces_the_default_fields_in_its_order()
    {
        const string json = """
        { "EntraSync": { "Tenants": [ { "TenantId": "t",
          "Fields": { "Fields": [
            { "Name": "Email", "Source": "email" }, { "Name": "Last Name", "Source": "surname" }, { "Name": "First Name", "Source": "givenName" } ] } } ] } }
        """;
        var services = new ServiceCollection();
        services.AddEntraUserSync(Configuration(json).GetSection("EntraSync")).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var provider = services.BuildServiceProvider();

        var profile = Assert.Single(provider.GetRequiredService<IOptions<EntraSyncOptions>>().Value.Tenants);

        Assert.Equal(["Email", "Last Name", "First Name"], profile.Fields.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task Configuration_errors_stop_the_host_at_start_up_with_messages_naming_the_option_and_the_fix()
    {
        const string json = """
        { "EntraSync": { "Tenants": [ { "TenantId": "contoso",
          "Fields": { "Fields": [ { "Name": "First Name", "Source": "givenName" }, { "Name": "Last Name", "Source": "surname" },
                                 { "Name": "Desk", "Source": "officeLocaton" } ] },
          "Filter": { "Groups": [ { "Rules": [ { "Property": "department", "Operator": "MatchesRegex", "Value": "([a-z" },
                                              { "Property": "employeeHireDate", "Operator": "GreaterThan", "Value": "last year" } ] } ] },
          "Matching": { "UnitField": "Department", "UserTypeField": "Department" } } ] } }
        """;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddEntraUserSync(Configuration(json).GetSection("EntraSync")).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var messages = error.Failures.ToList();
        Assert.Contains("EntraSync:Tenants:0:Fields:Fields:2:Source \"officeLocaton\" is not a Graph v1.0 user property. Did you mean \"officeLocation\"?", messages);
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value \"([a-z\" is not a valid regular expression", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Filter:Groups:0:Rules:1:Value \"last year\" is neither a number nor a date", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("EntraSync:Tenants:0:Matching:UserTypeField is Department, the same field as EntraSync:Tenants:0:Matching:UnitField.", StringComparison.Ordinal));
    }
}
