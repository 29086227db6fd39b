using EntraSync.Preview;
using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Preview;

public sealed class SyncPreviewTests : IDisposable
{
    private const string Tenant = "contoso";
    private readonly ServiceProvider _provider;
    private readonly SyncProfile _profile = new() { TenantId = Tenant };

    public SyncPreviewTests()
    {
        _profile.Filter.PeopleOnly.Enabled = true;
        _profile.Filter.PeopleOnly.ExcludeUnlicensed = false;
        _profile.Matching.UnitField = MatchingField.Department;
        _profile.Matching.UserTypeField = MatchingField.JobTitle;
        _profile.Matching.Units = ["Sales", "Support"];
        _profile.Matching.UserTypes = ["Manager", "Employee"];
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(_profile)).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        _provider = services.BuildServiceProvider();
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Sales"), ("jobTitle", "Manager, Pilot"), ("businessPhones", new[] { "+45 1234" })));
        Directory.Upsert(Tenant, "u2", Person("Bo", "Dahl", ("department", "Marketing"), ("jobTitle", "Employee")));
        Directory.Upsert(Tenant, "u3", Person("Cy", "Berg", ("userType", "Guest")));
        Directory.Upsert(Tenant, "u4", Person("Di", "Vang", ("givenName", null), ("department", "Sales"), ("jobTitle", "Employee")));
        Directory.Upsert(Tenant, "u5", Person("Ada", "Lund", ("department", "Support"), ("jobTitle", "Employee")));
    }

    private InMemoryDirectory Directory => (InMemoryDirectory)_provider.GetRequiredService<IDirectorySource>();

    private ISyncPreview Preview => _provider.GetRequiredService<ISyncPreview>();

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task A_preview_shows_each_user_with_scope_fields_assignment_and_skips_and_writes_nothing()
    {
        var result = await Preview.PreviewAsync(Tenant);

        Assert.True(result.IsComplete);
        Assert.Empty(result.Errors);
        var users = result.Users.OrderBy(u => u.DirectoryId, StringComparer.Ordinal).ToList();
        Assert.Equal(5, users.Count);

        var ada = users[0];
        Assert.Equal(UserPreviewOutcome.Imported, ada.Outcome);
        Assert.Equal("ada.lund@contoso.com", ada.Email);
        Assert.Equal("+45 1234", ada.Fields[FieldNames.Phone]);
        Assert.Equal("Sales", ada.Assignment!.Unit);
        Assert.Equal(["Manager"], ada.Assignment.UserTypes);
        Assert.False(ada.IsUnassigned);

        Assert.Equal(UserPreviewOutcome.Imported, users[1].Outcome);
        Assert.True(users[1].IsUnassigned);
        Assert.Equal("no unit: Department \"Marketing\" matches no unit", users[1].AssignmentNote);

        Assert.Equal(UserPreviewOutcome.OutOfScope, users[2].Outcome);
        Assert.Equal("people only: guest (userType is Guest)", users[2].Reason);
        Assert.Empty(users[2].Fields);

        Assert.Equal(UserPreviewOutcome.Skipped, users[3].Outcome);
        Assert.Equal(SkipReason.MissingMandatoryField, users[3].SkipReason);
        Assert.Equal("missing first name", users[3].Reason);

        Assert.Equal(SkipReason.DuplicateEmail, users[4].SkipReason);
        Assert.Equal("two directory users have the email ada.lund@contoso.com: this one and u1", users[4].Reason);

        Assert.Equal(new SyncPreviewTotals { Read = 5, Imported = 2, OutOfScope = 1, Skipped = 2, Unassigned = 1 }.ToString(), result.Totals.ToString());
        Assert.Equal(1, result.Totals.OutOfScopeByReason["people only: guest (userType is Guest)"]);
        Assert.Equal(1, result.Totals.SkippedByReason[SkipReason.DuplicateEmail]);
        Assert.Equal(new Dictionary<string, int> { ["Marketing"] = 1 }, result.UnmatchedUnitValues);
        Assert.Equal(new Dictionary<string, int> { ["Pilot"] = 1 }, result.UnmatchedUserTypeValues);
        Assert.Contains("department", result.Properties);
        Assert.Contains("userType", result.Properties);

        var store = _provider.GetRequiredService<InMemoryEmployeeStore>();
        Assert.Empty(store.GetEmployees(Tenant));
        Assert.Equal(0, store.ChangesApplied);
        var state = _provider.GetRequiredService<InMemorySyncStateStore>();
        Assert.Null(await state.GetCheckpointAsync(Tenant));
        Assert.Empty(await state.GetRunsAsync(Tenant, 10));
    }

    [Fact]
    public async Task The_list_stops_at_the_limit_while_the_totals_count_everyone()
    {
        var result = await Preview.PreviewAsync(Tenant, new SyncPreviewOptions { MaxUsers = 2, IncludeOutOfScope = false });

        Assert.Equal(2, result.Users.Count);
        Assert.True(result.IsUserListTruncated);
        Assert.DoesNotContain(result.Users, u => u.Outcome == UserPreviewOutcome.OutOfScope);
        Assert.Equal(5, result.Totals.Read);
        Assert.Equal(1, result.Totals.OutOfScope);
    }

    [Fact]
    public async Task An_unsaved_profile_can_be_previewed()
    {
        var draft = new SyncProfile { TenantId = Tenant };
        draft.Filter.Groups.Add(new FilterGroup { Rules = [new FilterRule { Property = "department", Value = "Sales" }] });

        var result = await Preview.PreviewAsync(draft, null, CancellationToken.None);

        Assert.Equal(2, result.Totals.Read - result.Totals.OutOfScope);
        Assert.All(result.Users, u => Assert.Null(u.Assignment));
        Assert.Equal(0, result.Totals.Unassigned);
    }

    [Fact]
    public async Task An_invalid_profile_is_reported_without_reading_the_directory()
    {
        var draft = new SyncProfile { TenantId = Tenant };
        draft.Fields.Fields.Add(new FieldMapping { Name = "Desk", Source = "desk" });

        var result = await Preview.PreviewAsync(draft, null, CancellationToken.None);

        Assert.False(result.IsComplete);
        Assert.StartsWith("The tenant's profile is invalid: Fields:Fields:16:Source \"desk\" is not a Graph v1.0 user property.", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(0, Directory.Reads);
    }

    [Fact]
    public async Task An_unknown_tenant_and_a_directory_failure_are_reported_as_errors()
    {
        var unknown = await Preview.PreviewAsync("fabrikam");
        Assert.Equal("No profile is configured for tenant 'fabrikam'. Add it to EntraSync:Tenants or to your ISyncProfileProvider.", Assert.Single(unknown.Errors));

        Directory.PageSize = 2;
        Directory.FailNextRead = (1, new DirectoryException("The app lacks User.Read.All.", DirectoryErrorKind.PermissionMissing));
        var failed = await Preview.PreviewAsync(Tenant);

        Assert.False(failed.IsComplete);
        Assert.Equal("The app lacks User.Read.All.", Assert.Single(failed.Errors));
        Assert.Equal(2, failed.Totals.Read);
    }
}
