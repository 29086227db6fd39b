using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Matching;

/// <summary>Mapping, filtering, matching and mandatory fields as a whole sync run applies them.</summary>
public sealed class MatchingThroughTheEngineTests : IDisposable
{
    private const string Tenant = "contoso";
    private readonly ServiceProvider _provider;
    private readonly SyncProfile _profile = new() { TenantId = Tenant };

    public MatchingThroughTheEngineTests()
    {
        _profile.Matching.UnitField = MatchingField.Department;
        _profile.Matching.UserTypeField = MatchingField.JobTitle;
        _profile.Matching.Units = ["Sales", "Support"];
        _profile.Matching.UserTypes = ["Manager", "Employee", "Trainer"];
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(_profile)).AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        _provider = services.BuildServiceProvider();
    }

    private InMemoryDirectory Directory => (InMemoryDirectory)_provider.GetRequiredService<IDirectorySource>();

    private InMemoryEmployeeStore Store => _provider.GetRequiredService<InMemoryEmployeeStore>();

    private Task<SyncReport> SyncAsync() => _provider.GetRequiredService<IEntraUserSync>().SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task Unmatched_users_are_imported_unassigned_and_the_report_counts_the_values_that_matched_nothing()
    {
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Sales"), ("jobTitle", "Manager, Pilot")));
        Directory.Upsert(Tenant, "u2", Person("Bo", "Dahl", ("department", "Marketing"), ("jobTitle", "Employee")));
        Directory.Upsert(Tenant, "u3", Person("Cy", "Berg", ("department", "Sales, Support"), ("jobTitle", "Pilot")));
        Directory.Upsert(Tenant, "u4", Person("Di", "Vang", ("department", "marketing"), ("jobTitle", "Trainer")));

        var report = await SyncAsync();

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(4, report.Counts.Created);
        Assert.Equal(3, report.Counts.Unassigned);
        Assert.Equal(new Dictionary<string, int> { ["Marketing"] = 2, ["Sales, Support"] = 1 }, report.UnmatchedUnitValues);
        Assert.Equal(new Dictionary<string, int> { ["Pilot"] = 2 }, report.UnmatchedUserTypeValues);
        var ada = Store.FindByDirectoryId(Tenant, "u1")!;
        Assert.Equal("Sales", ada.SyncedAssignment.Unit);
        Assert.Equal(["Manager"], ada.SyncedAssignment.UserTypes);
        Assert.True(Store.FindByDirectoryId(Tenant, "u3")!.SyncedAssignment.IsUnassigned);
        Assert.Equal(
            ["u2", "u3", "u4"],
            report.Users.Where(u => u.Assignment is { IsUnassigned: true }).Select(u => u.DirectoryId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Units_and_user_types_added_by_hand_survive_a_sync_that_moves_the_user()
    {
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Sales"), ("jobTitle", "Manager")));
        await SyncAsync();
        var key = Store.FindByDirectoryId(Tenant, "u1")!.Key;
        Store.AddMembershipByHand(Tenant, key, "Sales", "Trainer");
        Store.AddMembershipByHand(Tenant, key, "Board", "Member");

        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Support"), ("jobTitle", "Employee")));
        var report = await SyncAsync();

        Assert.Equal(1, report.Counts.Updated);
        var ada = Store.FindByDirectoryId(Tenant, "u1")!;
        Assert.Equal("Support", ada.SyncedAssignment.Unit);
        Assert.Equal(["Board", "Sales", "Support"], ada.Memberships.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Trainer"], ada.Memberships["Sales"]);
        Assert.Equal(["Member"], ada.Memberships["Board"]);
        Assert.Equal(["Employee"], ada.Memberships["Support"]);
    }

    [Fact]
    public async Task Users_missing_a_mandatory_field_are_skipped_with_that_reason()
    {
        _profile.MandatoryFields.Add(FieldNames.JobTitle);
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Sales"), ("jobTitle", "Manager")));
        Directory.Upsert(Tenant, "u2", Person("Bo", "Dahl", ("givenName", " "), ("jobTitle", "Manager")));
        Directory.Upsert(Tenant, "u3", Person("Cy", "Berg", ("mail", null), ("jobTitle", "Manager")));
        Directory.Upsert(Tenant, "u4", Person("Di", "Vang", ("jobTitle", null)));

        var report = await SyncAsync();

        Assert.Equal(1, report.Counts.Created);
        Assert.Equal(3, report.Counts.Skipped);
        var skipped = report.Users.Where(u => u.Action == UserAction.Skipped).OrderBy(u => u.DirectoryId, StringComparer.Ordinal).ToList();
        Assert.Equal([SkipReason.MissingMandatoryField, SkipReason.MissingEmail, SkipReason.MissingMandatoryField], skipped.Select(u => u.SkipReason!.Value));
        Assert.Equal("missing first name", skipped[0].Reason);
        Assert.StartsWith("missing email", skipped[1].Reason, StringComparison.Ordinal);
        Assert.Equal("missing job title", skipped[2].Reason);
    }

    [Fact]
    public async Task Filters_exclude_with_their_reason_and_the_source_is_asked_for_exactly_the_properties_in_use()
    {
        _profile.Filter.PeopleOnly.Enabled = true;
        _profile.Filter.PeopleOnly.ExcludeUnlicensed = false;
        _profile.Filter.Groups.Add(new FilterGroup { Rules = [new FilterRule { Property = "onPremisesExtensionAttributes/extensionAttribute2", Operator = FilterOperator.NotEqualTo, Value = "ignore" }] });
        _profile.Fields.Fields = [new() { Name = FieldNames.FirstName, Source = "givenName" }, new() { Name = FieldNames.LastName, Source = "surname" }, new() { Name = FieldNames.Email, Source = "email" }];
        var services = new ServiceCollection();
        var recording = new RecordingDirectory(Directory);
        services.AddEntraUserSync(o => o.Tenants.Add(_profile)).AddInMemoryStores();
        services.AddSingleton<IDirectorySource>(recording);
        using var provider = services.BuildServiceProvider();
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund", ("department", "Sales"), ("jobTitle", "Manager")));
        Directory.Upsert(Tenant, "u2", Person("Bo", "Dahl", ("department", "Sales"), ("jobTitle", "Manager"), ("accountEnabled", false)));
        Directory.Upsert(Tenant, "u3", Person("Cy", "Berg", ("department", "Sales"), ("jobTitle", "Manager"), ("onPremisesExtensionAttributes/extensionAttribute2", "IGNORE")));

        var report = await provider.GetRequiredService<IEntraUserSync>().SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(1, report.Counts.Created);
        Assert.Equal(2, report.Counts.OutOfScope);
        var reasons = report.Users.Where(u => u.Action == UserAction.OutOfScope).OrderBy(u => u.DirectoryId, StringComparer.Ordinal).Select(u => u.Reason).ToList();
        Assert.Equal(
            ["people only: disabled account (accountEnabled is false)", "filter: onPremisesExtensionAttributes/extensionAttribute2 does not equal \"ignore\" (value: \"IGNORE\")"],
            reasons);
        Assert.Equal(
            new[]
            {
                "accountEnabled", "department", "displayName", "givenName", "id", "jobTitle", "mail", "onPremisesExtensionAttributes",
                "otherMails", "proxyAddresses", "surname", "userPrincipalName", "userType",
            },
            recording.Properties.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_profile_with_matching_but_no_names_fails_the_run_with_the_fix()
    {
        var profile = new SyncProfile { TenantId = Tenant };
        profile.Matching.UnitField = MatchingField.City;
        profile.Matching.UserTypeField = MatchingField.JobTitle;
        Directory.Upsert(Tenant, "u1", Person("Ada", "Lund"));

        var report = await _provider.GetRequiredService<IEntraUserSync>().SyncAsync(profile, new SyncRunOptions { Mode = SyncMode.Full }, CancellationToken.None);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains(report.Errors, e => e.Contains("no unit names to match against", StringComparison.Ordinal));
        Assert.Empty(Store.GetEmployees(Tenant));
    }

    private sealed class RecordingDirectory(IDirectorySource inner) : IDirectorySource
    {
        public IReadOnlyCollection<string> Properties { get; private set; } = [];

        public IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, CancellationToken cancellationToken = default)
        {
            Properties = request.Properties;
            return inner.ReadUsersAsync(request, cancellationToken);
        }

        public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) => inner.GetUserAsync(request, user, cancellationToken);

        public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) => inner.GetPhotoAsync(request, userId, cancellationToken);
    }
}
