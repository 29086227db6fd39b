using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Graph.Tests;

/// <summary>The preview (issue 5) through the default Graph source and the real Microsoft.Graph client.</summary>
public sealed class PreviewOnEmulatorTests
{
    [Fact]
    public async Task Preview_reads_the_emulated_tenant_and_explains_each_user_without_writing()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 0 });
        var tenant = emulator.DefaultTenant;
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace", u => u.Department = "Research"));
        var alan = tenant.AddUser(Emulator.Person("Alan", "Turing", u => u.Department = "Sales"));
        var room = tenant.AddUser(Emulator.Person("Room", "x", u =>
        {
            u.GivenName = null;
            u.Surname = null;
            u.DisplayName = "Meeting room 1.01";
            u.Department = "Research";
        }));
        var profile = Emulator.Profile(emulator, configure: p => p.Filter.Groups.Add(new FilterGroup
        {
            Rules = [new FilterRule { Property = "department", Operator = FilterOperator.EqualTo, Value = "Research" }],
        }));
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<InMemoryEmployeeStore>();

        var preview = await provider.GetRequiredService<EntraSync.Preview.ISyncPreview>().PreviewAsync(profile.TenantId);

        Assert.True(preview.IsComplete);
        Assert.Equal(3, preview.Totals.Read);
        Assert.Equal(1, preview.Totals.Imported);
        var imported = Assert.Single(preview.Users, u => u.DirectoryId == ada.Id);
        Assert.Equal(EntraSync.Preview.UserPreviewOutcome.Imported, imported.Outcome);
        Assert.Equal("Research", imported.Fields![FieldNames.Department]);
        var excluded = Assert.Single(preview.Users, u => u.DirectoryId == alan.Id);
        Assert.Equal(EntraSync.Preview.UserPreviewOutcome.OutOfScope, excluded.Outcome);
        Assert.Contains("department", excluded.Reason, StringComparison.Ordinal);
        var skipped = Assert.Single(preview.Users, u => u.DirectoryId == room.Id);
        Assert.Equal(SkipReason.MissingMandatoryField, skipped.SkipReason);
        Assert.Empty(store.GetEmployees(profile.TenantId));
        Emulator.AssertOnlyGets(emulator);
    }
}
