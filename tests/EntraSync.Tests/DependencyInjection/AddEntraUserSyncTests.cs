using System.Text;
using EntraSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EntraSync.Tests.DependencyInjection;

public sealed class AddEntraUserSyncTests
{
    [Fact]
    public void Start_up_fails_naming_the_missing_store_and_the_call_that_adds_it()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync();

        var error = Validate(services);

        Assert.Contains("No employee store is registered. Call .AddEmployeeStore<TStore>()", error, StringComparison.Ordinal);
        Assert.Contains("No sync state store is registered", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_fails_naming_each_invalid_option_and_its_fix()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync(o =>
        {
            o.Tenants.Add(new SyncProfile { TenantId = "a", Removal = { MaxRemovalPercentPerRun = 150, RetentionPeriod = TimeSpan.FromDays(-1) } });
            o.Tenants.Add(new SyncProfile { TenantId = "a", MandatoryFields = ["Shoe Size"] });
            o.Tenants.Add(new SyncProfile { TenantId = " " });
        }).AddInMemoryStores();
        services.AddSingleton<IDirectorySource, InMemoryDirectory>();

        var error = Validate(services);

        Assert.Contains("EntraSync:Tenants:0:Removal:MaxRemovalPercentPerRun is 150. Use a percentage from 0 to 100.", error, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Tenants:0:Removal:RetentionPeriod is negative", error, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Tenants:1:TenantId \"a\" appears twice", error, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Tenants:1:MandatoryFields names \"Shoe Size\", which is not in the field map", error, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Tenants:2:TenantId is empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_fails_for_an_unregistered_transform_and_matching_without_unit_names()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync(o =>
        {
            var profile = new SyncProfile { TenantId = "a" };
            profile.Fields.Fields[0].Transform = "initials";
            profile.Matching.UnitField = MatchingField.Department;
            profile.Matching.UserTypeField = MatchingField.JobTitle;
            o.Tenants.Add(profile);
        }).AddInMemoryStores();
        services.AddSingleton<IDirectorySource, InMemoryDirectory>();

        var error = Validate(services);

        Assert.Contains("EntraSync:Tenants:0:Fields:Fields:0:Transform names transform \"initials\"", error, StringComparison.Ordinal);
        Assert.Contains(".AddFieldTransform(\"initials\"", error, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Tenants:0:Matching matches units and user types, but there are no unit or user-type names", error, StringComparison.Ordinal);
        Assert.Contains(".AddAssignmentCatalog<TCatalog>()", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_bind_from_an_appsettings_section()
    {
        const string json = """
            {
              "EntraSync": {
                "WriteBatchSize": 250,
                "Tenants": [
                  {
                    "TenantId": "contoso",
                    "DisplayName": "Contoso Ltd",
                    "Connection": { "TenantId": "contoso.onmicrosoft.com", "ClientId": "11111111-2222-3333-4444-555555555555" },
                    "Email": { "UseUserPrincipalName": true },
                    "Removal": { "Mode": "Delete", "RetentionPeriod": "30.00:00:00", "MaxRemovalsPerRun": 20 },
                    "Schedule": { "Interval": "01:00:00" },
                    "MandatoryFields": [ "Email" ],
                    "Fields": { "Fields": [ { "Name": "Email", "Source": "email" }, { "Name": "Title", "Source": "jobTitle" } ] }
                  }
                ]
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddEntraUserSync(configuration.GetSection("EntraSync")).AddInMemoryStores();
        services.AddSingleton<IDirectorySource, InMemoryDirectory>();
        await using var provider = services.BuildServiceProvider();

        Assert.Null(Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate()));
        var options = provider.GetRequiredService<IOptions<EntraSyncOptions>>().Value;
        Assert.Equal(250, options.WriteBatchSize);
        var profile = Assert.Single(options.Tenants);
        Assert.Equal("Contoso Ltd", profile.DisplayName);
        Assert.Equal("contoso.onmicrosoft.com", profile.Connection.TenantId);
        Assert.True(profile.Email.UseUserPrincipalName);
        Assert.True(profile.Email.UseProxyAddresses);
        Assert.Equal(RemovalMode.Delete, profile.Removal.Mode);
        Assert.Equal(TimeSpan.FromDays(30), profile.Removal.RetentionPeriod);
        Assert.Equal(20, profile.Removal.MaxRemovalsPerRun);
        Assert.Equal(TimeSpan.FromHours(1), profile.Schedule.Interval);
        Assert.Equal(["Email"], profile.MandatoryFields);
        Assert.Equal(["Email", "Title"], profile.Fields.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task The_hosts_own_registrations_win_and_adding_twice_is_harmless()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRetentionPolicy, NeverRemove>();
        services.AddEntraUserSync().AddInMemoryStores();
        services.AddEntraUserSync().AddInMemoryStores();
        services.AddSingleton<IDirectorySource, InMemoryDirectory>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.IsType<NeverRemove>(provider.GetRequiredService<IRetentionPolicy>());
        Assert.Single(provider.GetServices<IEntraUserSync>());
        Assert.Single(provider.GetServices<IValidateOptions<EntraSyncOptions>>());
        Assert.Same(provider.GetRequiredService<InMemoryEmployeeStore>(), provider.GetRequiredService<IEmployeeStore>());
    }

    [Fact]
    public async Task Builder_calls_replace_the_default_parts()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync().AddInMemoryStores().AddRetentionPolicy<NeverRemove>().AddDirectorySource<InMemoryDirectory>();
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<NeverRemove>(provider.GetRequiredService<IRetentionPolicy>());
        Assert.IsType<InMemoryDirectory>(provider.GetRequiredService<IDirectorySource>());
    }

    private static string Validate(IServiceCollection services)
    {
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return error.Message;
    }

    private sealed class NeverRemove : IRetentionPolicy
    {
        public RemovalAction DecideRemoval(StoredEmployee employee, RemovalCause cause, SyncContext context) => RemovalAction.Keep;

        public bool ShouldPurge(StoredEmployee employee, DateTimeOffset now, SyncContext context) => false;
    }
}
