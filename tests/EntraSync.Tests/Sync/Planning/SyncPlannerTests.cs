using EntraSync.Filtering;
using EntraSync.Mapping;
using EntraSync.Matching;
using EntraSync.Retention;
using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Guards;
using EntraSync.Sync.Planning;
using EntraSync.Sync.Reporting;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Sync.Planning;

/// <summary>
/// The planner and the removal guard alone, without I/O: a page of directory users against stored employees given
/// as data. What the store and the directory do is covered by the engine's end-to-end tests.
/// </summary>
public sealed class SyncPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_user_is_planned_as_a_create_with_its_record_and_hash()
    {
        var (planner, ledger, _) = Planner();
        var page = Page(Ada());

        var plan = PlanPage(planner, page, []);

        var create = Assert.Single(plan.Changes);
        Assert.Equal(EmployeeChangeKind.Create, create.Kind);
        Assert.Equal("ada-id", create.DirectoryId);
        Assert.Equal("ada@contoso.com", create.Record!.Email);
        Assert.Equal("Ada", create.Record.Fields[FieldNames.FirstName]);
        Assert.False(string.IsNullOrEmpty(create.ContentHash));
        Assert.Equal(1, ledger.Read);
    }

    [Fact]
    public void A_linked_employee_with_the_same_hash_is_unchanged_and_not_a_change()
    {
        var stored = Stored(Ada());
        var (planner, ledger, _) = Planner();

        var plan = PlanPage(planner, Page(Ada()), [stored]);

        Assert.Empty(plan.Changes);
        Assert.Equal(1, ledger.Unchanged);
    }

    [Fact]
    public void A_changed_field_is_planned_as_an_update_with_the_field_diff()
    {
        var stored = Stored(Ada());
        var (planner, _, _) = Planner();

        var plan = PlanPage(planner, Page(Ada(jobTitle: "Countess")), [stored]);

        var update = Assert.Single(plan.Changes);
        Assert.Equal(EmployeeChangeKind.Update, update.Kind);
        Assert.Equal(stored.Key, update.Key);
        var diff = Assert.Single(update.ChangedFields);
        Assert.Equal(FieldNames.JobTitle, diff.Field);
        Assert.Equal("Countess", diff.NewValue);
    }

    [Fact]
    public void A_deactivated_linked_employee_seen_again_is_reactivated()
    {
        var stored = Stored(Ada(), deactivatedAt: Now.AddDays(-10));
        var (planner, _, _) = Planner();

        var plan = PlanPage(planner, Page(Ada()), [stored]);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(EmployeeChangeKind.Reactivate, change.Kind);
        Assert.Equal("back in the directory within the retention period", change.Reason);
    }

    [Fact]
    public void A_local_employee_with_the_same_email_is_linked_not_duplicated()
    {
        var local = new StoredEmployee { Key = "local-1", Email = " ADA@contoso.com " };
        var (planner, _, _) = Planner();

        var plan = PlanPage(planner, Page(Ada()), [local]);

        var link = Assert.Single(plan.Changes);
        Assert.Equal(EmployeeChangeKind.Link, link.Kind);
        Assert.Equal("local-1", link.Key);
        Assert.Equal("a local employee had the same email", link.Reason);
    }

    [Fact]
    public void A_second_user_with_the_same_email_is_skipped_with_the_reason()
    {
        var (planner, ledger, _) = Planner();

        var plan = PlanPage(planner, Page(Ada(), Ada(id: "ada-twin")), []);

        Assert.Equal("ada-id", Assert.Single(plan.Changes).DirectoryId);
        var skipped = Assert.Single(ledger.Outcomes, o => o.Action == UserAction.Skipped);
        Assert.Equal(SkipReason.DuplicateEmail, skipped.SkipReason);
        Assert.Equal("two directory users have the email ada@contoso.com: this one and ada-id", skipped.Reason);
    }

    [Fact]
    public void A_user_missing_a_mandatory_field_is_skipped_not_planned()
    {
        var (planner, ledger, _) = Planner();

        var plan = PlanPage(planner, Page(User("nameless", ("mail", "x@contoso.com"))), []);

        Assert.Empty(plan.Changes);
        Assert.Equal(SkipReason.MissingMandatoryField, Assert.Single(ledger.Outcomes).SkipReason);
    }

    [Fact]
    public void A_removal_on_the_page_is_remembered_for_the_guards_and_is_not_a_change()
    {
        var stored = Stored(Ada());
        var (planner, _, memory) = Planner();
        var page = new DirectoryPage { Removed = [new DirectoryRemoval { Id = "ada-id", Reason = DirectoryRemovalReason.SoftDeleted }] };

        var plan = PlanPage(planner, page, [stored]);

        Assert.Empty(plan.Changes);
        Assert.Equal(RemovalCause.SoftDeletedInDirectory, memory.PendingRemovals["ada-id"].Cause);
    }

    [Fact]
    public void A_removal_on_the_same_page_as_the_users_entry_removes_nobody()
    {
        var stored = Stored(Ada());
        var (planner, _, memory) = Planner();
        var page = new DirectoryPage { Users = [Ada()], Removed = [new DirectoryRemoval { Id = "ada-id" }] };

        PlanPage(planner, page, [stored]);

        Assert.Empty(memory.PendingRemovals);
    }

    [Fact]
    public void A_linked_user_the_filter_puts_out_of_scope_becomes_a_pending_removal_with_the_filters_words()
    {
        var stored = Stored(Ada());
        var (planner, ledger, memory) = Planner(p => p.Filter.PeopleOnly = new PeopleOnlyOptions { Enabled = true, ExcludeUnlicensed = false, ExcludeRoomsAndSharedMailboxes = false, ExcludeServiceAccounts = false });

        PlanPage(planner, Page(Ada(enabled: false)), [stored]);

        var pending = memory.PendingRemovals["ada-id"];
        Assert.Equal(RemovalCause.OutOfScope, pending.Cause);
        Assert.Equal(UserAction.OutOfScope, Assert.Single(ledger.Outcomes).Action);
        Assert.Equal(pending.ScopeReason, ledger.Outcomes[0].Reason);
    }

    [Fact]
    public void A_full_read_that_did_not_return_a_linked_employee_makes_it_a_pending_removal()
    {
        var (planner, _, memory) = Planner();
        PlanPage(planner, Page(Ada()), []);

        Assert.Null(planner.ConsiderLinked(Stored(Ada()), fullRead: true, Now));
        Assert.Null(planner.ConsiderLinked(Stored(Ada(id: "gone", mail: "gone@contoso.com")), fullRead: true, Now));
        Assert.Null(planner.ConsiderLinked(Stored(Ada(id: "gone-too", mail: "gone2@contoso.com")), fullRead: false, Now));

        Assert.Equal(RemovalCause.NotInDirectory, Assert.Single(memory.PendingRemovals).Value.Cause);
        Assert.Equal("gone", memory.PendingRemovals.Keys.Single());
    }

    [Fact]
    public void A_deactivated_employee_past_retention_is_purged_and_one_within_it_is_not()
    {
        var (planner, _, _) = Planner();

        var old = planner.ConsiderLinked(Stored(Ada(), deactivatedAt: Now.AddDays(-91)), fullRead: true, Now);
        var recent = planner.ConsiderLinked(Stored(Ada(id: "recent"), deactivatedAt: Now.AddDays(-10)), fullRead: true, Now);

        Assert.Equal(EmployeeChangeKind.Purge, old!.Kind);
        Assert.StartsWith("deactivated on ", old.Reason, StringComparison.Ordinal);
        Assert.Null(recent);
    }

    [Fact]
    public void A_newcomer_whose_email_an_unseen_linked_employee_holds_is_deferred_then_planned_once_the_holder_left()
    {
        var holder = Stored(Ada(id: "old-ada"));
        var (planner, _, memory) = Planner();

        var plan = PlanPage(planner, Page(Ada(id: "new-ada")), [holder]);
        Assert.Empty(plan.Changes);

        memory.Removed.Add("old-ada");
        var deferred = planner.TakeDeferred();
        var later = planner.PlanDeferred(deferred, new StoredEmployeeIndex([holder]));

        var create = Assert.Single(later.Changes);
        Assert.Equal(EmployeeChangeKind.Create, create.Kind);
        Assert.Equal("new-ada", create.DirectoryId);
        Assert.Empty(planner.TakeDeferred());
    }

    [Fact]
    public void A_dry_run_plans_the_same_changes_as_a_real_run()
    {
        var stored = new StoredEmployee[] { Stored(Ada()), new() { Key = "local-1", Email = "alan@contoso.com" } };
        var page = Page(Ada(jobTitle: "Countess"), Alan(), Grace());

        var real = PlanPage(Planner().Planner, page, stored);
        var dry = PlanPage(Planner(dryRun: true).Planner, page, stored);

        Assert.Equal(
            real.Changes.Select(c => (c.Kind, c.DirectoryId, c.Key, c.ContentHash)),
            dry.Changes.Select(c => (c.Kind, c.DirectoryId, c.Key, c.ContentHash)));
        Assert.Equal(1, real.Count(EmployeeChangeKind.Update));
        Assert.Equal(1, real.Count(EmployeeChangeKind.Link));
        Assert.Equal(1, real.Count(EmployeeChangeKind.Create));
    }

    [Fact]
    public void The_guard_holds_back_removals_above_the_count_threshold_and_passes_those_below()
    {
        var context = Context(new SyncProfile { TenantId = "contoso", Removal = { MaxRemovalsPerRun = 2, MaxRemovalPercentPerRun = 100 } });
        var ledger = new RunLedger(100);
        var memory = new RunMemory();
        var guard = new RemovalGuard(context, new RetentionPolicy(), ledger, memory);

        Assert.True(guard.ExceedsThreshold(3, 100, out var why));
        Assert.Contains("Removal:MaxRemovalsPerRun", why, StringComparison.Ordinal);
        Assert.False(guard.ExceedsThreshold(2, 100, out _));

        memory.PendingRemovals["ada-id"] = new PendingRemoval(Stored(Ada()), RemovalCause.NotInDirectory);
        var (pending, action) = Assert.Single(guard.Decide());
        var change = guard.Pass(pending, action, Now);
        Assert.Equal(EmployeeChangeKind.Deactivate, change.Kind);
        Assert.Contains("ada-id", memory.Removed);
    }

    private static (SyncPlanner Planner, RunLedger Ledger, RunMemory Memory) Planner(Action<SyncProfile>? configure = null, bool dryRun = false)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        configure?.Invoke(profile);
        var context = new SyncContext { TenantId = "contoso", RunId = "run-1", Profile = profile, IsDryRun = dryRun, StartedAt = Now };
        var ledger = new RunLedger(100);
        var memory = new RunMemory();
        var evaluator = new UserEvaluator(new FieldMapper(), new UserFilter(), new AssignmentMatcher());
        return (new SyncPlanner(context, evaluator, new RetentionPolicy(), ledger, memory), ledger, memory);
    }

    private static SyncPlan PlanPage(SyncPlanner planner, DirectoryPage page, IReadOnlyList<StoredEmployee> stored)
    {
        var candidates = planner.Admit(page);
        return planner.PlanPage(page, candidates, new StoredEmployeeIndex(stored));
    }

    private static DirectoryPage Page(params DirectoryUser[] users) => new() { Users = users };

    /// <summary>What the store holds after a run created <paramref name="user"/>, as a real run would have written it.</summary>
    private static StoredEmployee Stored(DirectoryUser user, DateTimeOffset? deactivatedAt = null)
    {
        var (planner, _, _) = Planner();
        var create = Assert.Single(PlanPage(planner, Page(user), []).Changes);
        return new StoredEmployee
        {
            Key = "key-" + user.Id,
            DirectoryId = user.Id,
            Email = create.Record!.Email,
            ContentHash = create.ContentHash,
            Fields = create.Record.Fields,
            Assignment = create.Record.Assignment,
            DeactivatedAt = deactivatedAt,
        };
    }

    private static DirectoryUser Ada(string id = "ada-id", string mail = "ada@contoso.com", string jobTitle = "Analyst", bool enabled = true) =>
        User(id, ("givenName", "Ada"), ("surname", "Lovelace"), ("mail", mail), ("jobTitle", jobTitle), ("accountEnabled", enabled), ("userType", "Member"));

    private static DirectoryUser Alan() =>
        User("alan-id", ("givenName", "Alan"), ("surname", "Turing"), ("mail", "alan@contoso.com"), ("accountEnabled", true), ("userType", "Member"));

    private static DirectoryUser Grace() =>
        User("grace-id", ("givenName", "Grace"), ("surname", "Hopper"), ("mail", "grace@contoso.com"), ("accountEnabled", true), ("userType", "Member"));
}
