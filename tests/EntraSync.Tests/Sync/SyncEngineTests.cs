using EntraSync.Tests.TestSupport;

namespace EntraSync.Tests.Sync;

public sealed class SyncEngineTests
{
    [Fact]
    public async Task Past_the_report_limit_users_are_still_counted_and_written_but_not_listed()
    {
        await using var h = new SyncHarness(p => p.MaxUserOutcomesInReport = 3);
        var ids = Enumerable.Range(0, 10).Select(i => h.AddUser($"First{i}", $"Last{i}", $"user{i}@contoso.com")).ToList();

        var created = await h.RunAsync();

        Assert.Equal(10, created.Counts.Created);
        Assert.Equal(10, h.Employees.Count);
        Assert.Equal(3, created.Users.Count);
        Assert.True(created.IsUserListTruncated);

        foreach (var id in ids)
        {
            h.Change(id, "jobTitle", "Engineer");
        }

        var updated = await h.RunAsync();

        Assert.Equal(10, updated.Counts.Updated);
        Assert.Equal(3, updated.Users.Count);
        Assert.True(updated.IsUserListTruncated);
        Assert.All(h.Employees, e => Assert.Equal("Engineer", e[FieldNames.JobTitle]));
    }

    [Fact]
    public async Task First_run_creates_every_user_with_the_default_fields()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace");
        h.AddUser("Alan", "Turing", more: p => p["department"] = "Research");

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.True(report.IsReadComplete);
        Assert.Equal(SyncMode.Full, report.Mode);
        Assert.Equal(2, report.Counts.Created);
        var alan = Assert.Single(h.Employees, e => e.Email == "alan.turing@contoso.com");
        Assert.Equal("Alan", alan[FieldNames.FirstName]);
        Assert.Equal("Turing", alan[FieldNames.LastName]);
        Assert.Equal("Research", alan[FieldNames.Department]);
        Assert.Equal("+45 1234 5678", alan[FieldNames.Phone]);
        Assert.Null(alan[FieldNames.Fax]);
        Assert.Equal(
            ["First Name", "Last Name", "Display Name", "Email", "Phone", "Job Title", "Department", "Mobile", "Fax", "Company", "Street", "City", "State", "Zip", "Country", "Photo"],
            alan.Fields.Keys);
    }

    [Fact]
    public async Task Second_run_over_an_unchanged_directory_writes_nothing()
    {
        await using var h = new SyncHarness();
        for (var i = 0; i < 25; i++)
        {
            h.AddUser("User" + i, "Person");
        }

        await h.RunAsync(SyncMode.Full);
        var writes = h.Store.ChangesApplied;

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(writes, h.Store.ChangesApplied);
        Assert.Equal(0, report.Counts.Changes);
        Assert.Equal(25, report.Counts.Unchanged);
        Assert.Empty(report.Users);
    }

    [Fact]
    public async Task A_changed_property_updates_only_that_field_and_reports_the_diff()
    {
        await using var h = new SyncHarness();
        var id = h.AddUser("Grace", "Hopper");
        await h.RunAsync();
        h.Change(id, "jobTitle", "Rear Admiral");

        var report = await h.RunAsync(SyncMode.Full);

        var outcome = Assert.Single(report.Users);
        Assert.Equal(UserAction.Updated, outcome.Action);
        var change = Assert.Single(outcome.ChangedFields);
        Assert.Equal(FieldNames.JobTitle, change.Field);
        Assert.Equal("Consultant", change.OldValue);
        Assert.Equal("Rear Admiral", change.NewValue);
        Assert.Equal("Rear Admiral", h.Store.FindByDirectoryId(SyncHarness.Tenant, id)![FieldNames.JobTitle]);
    }

    [Fact]
    public async Task Pages_are_applied_as_they_arrive()
    {
        await using var h = new SyncHarness();
        for (var i = 0; i < 35; i++)
        {
            h.AddUser("U" + i, "P");
        }

        await h.RunAsync();

        Assert.Equal(4, h.Store.BatchesApplied);
        Assert.Equal(35, h.Employees.Count);
    }

    [Fact]
    public async Task Dry_run_returns_the_plan_and_writes_nothing()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace");
        var localKey = h.Store.AddLocalEmployee(SyncHarness.Tenant, "Alan.Turing@contoso.com");
        h.AddUser("Alan", "Turing");

        var report = await h.RunAsync(dryRun: true);

        Assert.True(report.IsDryRun);
        Assert.Equal(1, report.Counts.Created);
        Assert.Equal(1, report.Counts.Linked);
        Assert.Contains(report.Users, u => u.Action == UserAction.Linked && u.Email == "alan.turing@contoso.com");
        Assert.Equal(0, h.Store.ChangesApplied);
        Assert.Null(h.Store.GetEmployees(SyncHarness.Tenant).Single(e => e.Key == localKey).DirectoryId);
        Assert.Null(await h.State.GetCheckpointAsync(SyncHarness.Tenant));
        Assert.Empty(await h.State.GetRunsAsync(SyncHarness.Tenant, 10));
    }

    [Fact]
    public async Task A_record_without_id_is_skipped_with_a_reason_and_the_rest_is_applied()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace");
        h.Directory.Upsert(SyncHarness.Tenant, new DirectoryUser { Id = " " });

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Single(h.Employees);
        var skipped = Assert.Single(report.Users, u => u.Action == UserAction.Skipped);
        Assert.Equal(SkipReason.InvalidRecord, skipped.SkipReason);
        Assert.Contains("no id", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_the_mapper_cannot_map_is_skipped_with_the_mappers_message()
    {
        await using var h = new SyncHarness(services: s => s.AddSingleton<IFieldMapper>(new ThrowingMapper("Bad Apple")));
        h.AddUser("Good", "Apple");
        h.AddUser("Bad", "Apple");

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Single(h.Employees);
        var skipped = Assert.Single(report.Users, u => u.Action == UserAction.Skipped);
        Assert.Equal(SkipReason.InvalidRecord, skipped.SkipReason);
        Assert.Contains("cannot map Bad Apple", skipped.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Lovelace", SkipReason.MissingEmail, "missing email")]
    [InlineData("", "Lovelace", SkipReason.MissingMandatoryField, "missing first name")]
    [InlineData("Ada", "  ", SkipReason.MissingMandatoryField, "missing last name")]
    public async Task A_user_missing_a_mandatory_field_is_skipped_with_that_reason(string? given, string surname, SkipReason reason, string text)
    {
        await using var h = new SyncHarness();
        h.AddUser(given ?? "Ada", surname, more: p =>
        {
            p["givenName"] = given;
            if (given is null)
            {
                p["mail"] = null;
            }
        });

        var report = await h.RunAsync();

        var skipped = Assert.Single(report.Users);
        Assert.Equal(UserAction.Skipped, skipped.Action);
        Assert.Equal(reason, skipped.SkipReason);
        Assert.StartsWith(text, skipped.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Employees);
    }

    [Fact]
    public async Task Mandatory_fields_are_configurable()
    {
        await using var h = new SyncHarness(p => p.MandatoryFields = [FieldNames.Email]);
        h.AddUser("Reception", "x", more: p => { p["givenName"] = null; p["surname"] = null; });

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Created);
    }

    [Fact]
    public async Task Two_directory_users_with_one_email_never_both_become_employees()
    {
        await using var h = new SyncHarness();
        var first = h.AddUser("Kim", "Larsen", "kim@contoso.com");
        var second = h.AddUser("Kim", "Larsen", "KIM@contoso.com");

        var report = await h.RunAsync();

        Assert.Single(h.Employees);
        Assert.Equal(first, h.Employees[0].DirectoryId);
        var skipped = Assert.Single(report.Users, u => u.Action == UserAction.Skipped);
        Assert.Equal(second, skipped.DirectoryId);
        Assert.Equal(SkipReason.DuplicateEmail, skipped.SkipReason);
        Assert.Contains(first, skipped.Reason, StringComparison.Ordinal);

        var rerun = await h.RunAsync(SyncMode.Full);
        Assert.Equal(0, rerun.Counts.Changes);
        Assert.Equal(second, Assert.Single(rerun.Users).DirectoryId);
    }

    [Fact]
    public async Task Two_directory_users_never_both_take_over_one_local_employee()
    {
        await using var h = new SyncHarness();
        var key = h.Store.AddLocalEmployee(SyncHarness.Tenant, "kim@contoso.com");
        var first = h.AddUser("Kim", "Larsen", "kim@contoso.com");
        h.AddUser("Kim", "Larsen", "kim@contoso.com");

        var report = await h.RunAsync();

        Assert.Single(h.Employees);
        Assert.Equal(first, h.Employees.Single(e => e.Key == key).DirectoryId);
        Assert.Equal(1, report.Counts.Linked);
        Assert.Equal(1, report.Counts.Skipped);
    }

    [Fact]
    public async Task A_second_trigger_while_a_tenant_runs_returns_already_running_at_once()
    {
        var gate = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(sp => new BlockingSource(entered, gate.Task)));
        var first = h.RunAsync();
        await entered.Task;

        var second = await h.RunAsync();

        Assert.Equal(SyncOutcome.AlreadyRunning, second.Outcome);
        Assert.Contains("already running", Assert.Single(second.Errors), StringComparison.Ordinal);
        gate.SetResult();
        Assert.Equal(SyncOutcome.Succeeded, (await first).Outcome);
        Assert.Equal(SyncOutcome.Succeeded, (await h.RunAsync()).Outcome);
    }

    [Fact]
    public async Task A_run_for_another_tenant_is_not_blocked_and_sees_only_its_own_data()
    {
        var gate = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var other = new SyncProfile { TenantId = "fabrikam" };
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(sp => new BlockingSource(entered, gate.Task, blockTenant: SyncHarness.Tenant)));
        var blocked = h.RunAsync();
        await entered.Task;

        var report = await h.Sync.SyncAsync(other, null, CancellationToken.None);

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, report.Counts.Created);
        Assert.Empty(h.Store.GetEmployees(SyncHarness.Tenant));
        Assert.Single(h.Store.GetEmployees("fabrikam"));
        gate.SetResult();
        await blocked;
    }

    [Fact]
    public async Task A_disabled_profile_runs_nothing()
    {
        await using var h = new SyncHarness(p => p.Enabled = false);
        h.AddUser("Ada", "Lovelace");

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Disabled, report.Outcome);
        Assert.Equal(0, h.Directory.Reads);
    }

    [Fact]
    public async Task An_unknown_tenant_fails_with_a_message_that_says_where_to_configure_it()
    {
        await using var h = new SyncHarness();

        var report = await h.Sync.SyncAsync("unknown");

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("No profile is configured for tenant 'unknown'", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_history_keeps_the_configured_number_of_reports()
    {
        await using var h = new SyncHarness(p => p.RunHistoryLength = 2);
        h.AddUser("Ada", "Lovelace");
        var runs = new List<SyncReport>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await h.RunAsync());
            h.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var history = await h.State.GetRunsAsync(SyncHarness.Tenant, 10);

        Assert.Equal([runs[2].RunId, runs[1].RunId], history.Select(r => r.RunId));
    }

    private sealed class ThrowingMapper(string badName) : IFieldMapper
    {
        private readonly EntraSync.Mapping.FieldMapper _inner = new();

        public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context) => _inner.GetRequiredProperties(context);

        public IReadOnlyDictionary<string, string?> Map(DirectoryUser user, string? email, SyncContext context) =>
            user.GetString("displayName") == badName ? throw new FormatException($"cannot map {badName}") : _inner.Map(user, email, context);
    }

    private sealed class BlockingSource(TaskCompletionSource entered, Task gate, string? blockTenant = null) : IDirectorySource
    {
        public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (blockTenant is null || request.Context.TenantId == blockTenant)
            {
                entered.TrySetResult();
                await gate.WaitAsync(cancellationToken);
            }

            yield return new DirectoryPage
            {
                Users =
                [
                    new DirectoryUser
                    {
                        Id = request.Context.TenantId + "-1",
                        Properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
                        {
                            ["givenName"] = DirectoryValue.FromString("Only"),
                            ["surname"] = DirectoryValue.FromString("User"),
                            ["mail"] = DirectoryValue.FromString($"only@{request.Context.TenantId}.com"),
                        },
                    },
                ],
                Completion = new DirectoryReadCompletion { IsFullEnumeration = true },
            };
        }

        public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) => ValueTask.FromResult(DirectoryUserLookup.NotFound);

        public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) => ValueTask.FromResult<DirectoryPhoto?>(null);
    }
}
