using EntraSync.Tests.TestSupport;

namespace EntraSync.Tests.Sync;

public sealed class LinkingAndIncrementalTests
{
    [Fact]
    public async Task A_local_employee_with_the_same_email_is_linked_once_and_then_followed_by_id()
    {
        await using var h = new SyncHarness();
        var key = h.Store.AddLocalEmployee(SyncHarness.Tenant, "ADA.Lovelace@Contoso.com", new Dictionary<string, string?> { ["Nickname"] = "Countess" });
        var id = h.AddUser("Ada", "Lovelace", "ada.lovelace@contoso.com");

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Linked);
        var ada = Assert.Single(h.Employees);
        Assert.Equal(key, ada.Key);
        Assert.Equal(id, ada.DirectoryId);
        Assert.Equal("Ada", ada[FieldNames.FirstName]);
        Assert.Equal("Countess", ada["Nickname"]);

        // The email changes in the directory: the link (object id) still holds, and no new employee appears.
        h.Change(id, "mail", "ada@contoso.com");
        var after = await h.RunAsync();

        Assert.Equal(1, after.Counts.Updated);
        Assert.Equal("ada@contoso.com", Assert.Single(h.Employees).Email);
    }

    [Fact]
    public async Task A_new_user_whose_email_an_active_linked_employee_holds_is_skipped()
    {
        await using var h = new SyncHarness();
        var first = h.AddUser("Kim", "Larsen", "kim@contoso.com");
        await h.RunAsync();
        h.AddUser("Kim", "Larsen", "kim@contoso.com");

        var report = await h.RunAsync();

        var skipped = Assert.Single(report.Users);
        Assert.Equal(SkipReason.DuplicateEmail, skipped.SkipReason);
        Assert.Contains(first, skipped.Reason, StringComparison.Ordinal);
        Assert.Single(h.Employees);
    }

    [Fact]
    public async Task When_a_leaver_and_a_newcomer_share_an_email_the_newcomer_gets_it_in_the_same_run()
    {
        await using var h = new SyncHarness(p => p.Removal.Mode = RemovalMode.Delete);
        var leaver = h.AddUser("Kim", "Larsen", "kim@contoso.com");
        await h.RunAsync();
        h.Directory.Remove(SyncHarness.Tenant, leaver, DirectoryRemovalReason.Deleted);
        var newcomer = h.AddUser("Kim", "Larsen", "kim@contoso.com");
        await h.ForgetCheckpointAsync();

        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(1, report.Counts.Deleted);
        Assert.Equal(1, report.Counts.Created);
        Assert.Equal(newcomer, Assert.Single(h.Employees).DirectoryId);
    }

    [Fact]
    public async Task Incremental_runs_read_from_the_checkpoint_and_save_the_new_one()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace");
        var first = await h.RunAsync();
        Assert.Equal(SyncMode.Full, first.Mode);
        Assert.Equal("there is no checkpoint yet, so this run reads everything", first.FallbackReason);
        var checkpoint = await h.State.GetCheckpointAsync(SyncHarness.Tenant);
        Assert.NotNull(checkpoint);
        Assert.Equal(h.Time.GetUtcNow(), checkpoint!.LastFullReadAt);

        h.AddUser("Alan", "Turing");
        var second = await h.RunAsync();

        Assert.Equal(SyncMode.Incremental, second.Mode);
        Assert.Null(second.FallbackReason);
        Assert.Equal(1, second.Counts.Read);
        Assert.Equal(1, second.Counts.Created);
        Assert.NotEqual(checkpoint.Value, (await h.State.GetCheckpointAsync(SyncHarness.Tenant))!.Value);
    }

    [Fact]
    public async Task A_profile_change_to_what_is_read_restarts_with_a_full_read()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace");
        await h.RunAsync();
        h.Profile.Fields.Fields.Add(new FieldMapping { Name = "Office", Source = "officeLocation" });

        var report = await h.RunAsync();

        Assert.Equal(SyncMode.Full, report.Mode);
        Assert.Contains("profile changed what is read", report.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(1, report.Counts.Updated);
    }

    [Fact]
    public async Task A_filter_change_restarts_with_a_full_read_so_unchanged_users_are_judged_again()
    {
        await using var h = new SyncHarness();
        h.AddUser("Ada", "Lovelace", more: p => p["department"] = "Sales");
        h.AddUser("Alan", "Turing", more: p => p["department"] = "Research");
        await h.RunAsync();
        h.Profile.Filter.Groups.Add(new FilterGroup { Rules = [new FilterRule { Property = "department", Operator = FilterOperator.EqualTo, Value = "Research" }] });

        var report = await h.RunAsync();

        Assert.Equal(SyncMode.Full, report.Mode);
        Assert.Equal(1, report.Counts.OutOfScope);
        Assert.Equal(1, report.Counts.Deactivated);
    }

    [Fact]
    public async Task A_user_replayed_on_the_same_page_counts_once()
    {
        var user = Ada();
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(new DirectoryPage
        {
            Users = [user, user],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = false },
        })));

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Read);
        Assert.Equal(1, report.Counts.Created);
        Assert.Single(h.Employees);
        Assert.Contains("same user more than once on one page (first: u1)", Assert.Single(report.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removal_on_a_later_page_than_the_users_entry_wins()
    {
        var ada = Ada();
        var pages = new List<DirectoryPage> { new() { Users = [ada], Completion = new DirectoryReadCompletion { IsFullEnumeration = true } } };
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(pages)));
        await h.RunAsync();
        pages[0] = new DirectoryPage { Users = [ada] };
        pages.Add(new DirectoryPage { Removed = [new DirectoryRemoval { Id = "u1", Reason = DirectoryRemovalReason.SoftDeleted }], Completion = new DirectoryReadCompletion { IsFullEnumeration = false } });

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.Deactivated);
        Assert.False(Assert.Single(h.Employees).IsActive);
    }

    [Fact]
    public async Task A_user_listed_and_removed_on_the_same_page_is_kept()
    {
        var ada = Ada();
        var pages = new List<DirectoryPage> { new() { Users = [ada], Completion = new DirectoryReadCompletion { IsFullEnumeration = true } } };
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(pages)));
        await h.RunAsync();
        pages[0] = new DirectoryPage
        {
            Users = [ada],
            Removed = [new DirectoryRemoval { Id = "u1" }],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = false },
        };

        var report = await h.RunAsync();

        Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted);
        Assert.True(Assert.Single(h.Employees).IsActive);
    }

    [Fact]
    public async Task Records_the_source_rejected_are_reported_as_skipped()
    {
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(new DirectoryPage
        {
            Rejected = [new RejectedRecord { Id = "x1", Reason = "givenName is a number, not text" }],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = true },
        })));

        var report = await h.RunAsync();

        var skipped = Assert.Single(report.Users);
        Assert.Equal("x1", skipped.DirectoryId);
        Assert.Equal("givenName is a number, not text", skipped.Reason);
        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
    }

    [Fact]
    public async Task An_employee_whose_directory_record_the_source_rejected_is_not_removed_by_a_complete_full_read()
    {
        var pages = new List<DirectoryPage>();
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(pages)));
        pages.Add(new DirectoryPage { Users = [Ada(), Bob()], Completion = new DirectoryReadCompletion { IsFullEnumeration = true } });
        await h.RunAsync(SyncMode.Full);

        // Ada is still in the directory, but her record can no longer be read: she must be kept, not removed as a leaver.
        pages[0] = new DirectoryPage
        {
            Users = [Bob()],
            Rejected = [new RejectedRecord { Id = "u1", Reason = "the directory record could not be read: givenName is a number, not text" }],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = true },
        };
        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted + report.Counts.Staged);
        Assert.All(h.Employees, e => Assert.True(e.IsActive));
        var skipped = Assert.Single(report.Users, u => u.DirectoryId == "u1");
        Assert.Equal(UserAction.Skipped, skipped.Action);
        Assert.Equal("the directory record could not be read: givenName is a number, not text", skipped.Reason);
    }

    [Fact]
    public async Task A_delta_removal_and_a_rejected_record_of_the_same_user_on_one_page_remove_nobody()
    {
        var pages = new List<DirectoryPage> { new() { Users = [Ada(), Bob()], Completion = new DirectoryReadCompletion { IsFullEnumeration = true } } };
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(pages)));
        await h.RunAsync();
        pages[0] = new DirectoryPage
        {
            Removed = [new DirectoryRemoval { Id = "u1" }],
            Rejected = [new RejectedRecord { Id = "u1", Reason = "the directory record could not be read: mail is an object" }],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = false },
        };

        var report = await h.RunAsync();

        Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted + report.Counts.Staged);
        Assert.All(h.Employees, e => Assert.True(e.IsActive));
    }

    [Fact]
    public async Task A_scope_exit_reported_by_the_source_removes_the_linked_employee_with_its_reason()
    {
        var pages = new List<DirectoryPage>();
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(new FixedPages(pages)));
        pages.Add(new DirectoryPage
        {
            Users = [Ada()],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = true },
        });
        await h.RunAsync();
        pages[0] = new DirectoryPage
        {
            OutOfScope = [new DirectoryScopeExit { Id = "u1", Reason = "no longer matches the filter accountEnabled eq true" }],
            Completion = new DirectoryReadCompletion { IsFullEnumeration = false },
        };

        var report = await h.RunAsync();

        Assert.Equal(1, report.Counts.OutOfScope);
        Assert.Equal(1, report.Counts.Deactivated);
        Assert.Contains(report.Users, u => u.Action == UserAction.Deactivated && u.Reason!.EndsWith("accountEnabled eq true", StringComparison.Ordinal));
        Assert.False(Assert.Single(h.Employees).IsActive);
    }

    private static DirectoryUser Ada() => Person("u1", "Ada", "Lovelace");

    private static DirectoryUser Bob() => Person("u2", "Bob", "Babbage");

    private static DirectoryUser Person(string id, string given, string surname) => new()
    {
        Id = id,
        Properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["givenName"] = DirectoryValue.FromString(given),
            ["surname"] = DirectoryValue.FromString(surname),
            ["mail"] = DirectoryValue.FromString(given.ToLowerInvariant() + "@contoso.com"),
        },
    };

    private sealed class FixedPages(IReadOnlyList<DirectoryPage> pages) : IDirectorySource
    {
        public FixedPages(params DirectoryPage[] pages)
            : this((IReadOnlyList<DirectoryPage>)pages)
        {
        }

        public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var page in pages.ToList())
            {
                await Task.Yield();
                yield return page;
            }
        }

        public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) => ValueTask.FromResult(DirectoryUserLookup.NotFound);

        public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) => ValueTask.FromResult<DirectoryPhoto?>(null);
    }
}
