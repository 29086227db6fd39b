using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>The engine end to end on the EF Core store, once per provider.</summary>
public abstract class EngineTests(TestDatabase database)
{
    private const string Table = "SyncedEmployees";

    protected static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..10];

    private string FailInsertSql(string tenant, string directoryId) => database.Provider == "SQLite"
        ? $"CREATE TRIGGER \"fail_{tenant}\" BEFORE INSERT ON \"{Table}\" WHEN NEW.\"TenantId\" = '{tenant}' AND NEW.\"DirectoryId\" = '{directoryId}' BEGIN SELECT RAISE(ABORT, 'the database went away'); END;"
        : $"CREATE FUNCTION \"fail_{tenant}\"() RETURNS trigger AS $$ BEGIN IF NEW.\"TenantId\" = '{tenant}' AND NEW.\"DirectoryId\" = '{directoryId}' THEN RAISE EXCEPTION 'the database went away'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; " +
          $"CREATE TRIGGER \"fail_{tenant}\" BEFORE INSERT ON \"{Table}\" FOR EACH ROW EXECUTE FUNCTION \"fail_{tenant}\"();";

    private string DropFailInsertSql(string tenant) => database.Provider == "SQLite"
        ? $"DROP TRIGGER \"fail_{tenant}\";"
        : $"DROP TRIGGER \"fail_{tenant}\" ON \"{Table}\"; DROP FUNCTION \"fail_{tenant}\"();";

    [SkippableFact]
    public async Task Full_sync_creates_every_user_and_a_rerun_writes_nothing()
    {
        var tenant = NewTenant();
        await using var harness = await EngineHarness.CreateAsync(database, tenants: tenant);
        harness.AddUsers(tenant, 250);

        var first = await harness.RunAsync(tenant);
        Assert.Equal(SyncOutcome.Succeeded, first.Outcome);
        Assert.Equal(250, first.Counts.Created);
        var employees = await harness.EmployeesAsync(tenant);
        Assert.Equal(250, employees.Count);
        var one = employees.Single(e => e.DirectoryId == EngineHarness.UserId(7));
        Assert.Equal("user7@" + tenant + ".example", one.Email);
        Assert.Equal("Number 7", one.GetField(FieldNames.LastName));
        Assert.Equal("Consultant", one.GetField(FieldNames.JobTitle));

        harness.Statements.Reset();
        var rerun = await harness.RunAsync(tenant);

        Assert.Equal(SyncOutcome.Succeeded, rerun.Outcome);
        Assert.Equal(250, rerun.Counts.Unchanged);
        Assert.Equal(0, rerun.Counts.Changes);
        Assert.Equal(0, harness.Statements.Writes(Table));
        Assert.True(harness.Statements.Commands.Count > 0, "the rerun read the store");
    }

    [SkippableFact]
    public async Task A_changed_user_costs_one_update_of_only_the_changed_columns()
    {
        var tenant = NewTenant();
        await using var harness = await EngineHarness.CreateAsync(database, tenants: tenant);
        harness.AddUsers(tenant, 20);
        await harness.RunAsync(tenant);

        harness.AddUsers(tenant, 1, from: 3, title: "Partner");
        harness.Statements.Reset();
        var report = await harness.RunAsync(tenant);

        Assert.Equal(1, report.Counts.Updated);
        Assert.Equal(1, harness.Statements.Count("UPDATE", Table));
        Assert.Equal(0, harness.Statements.Count("INSERT", Table));
        var update = harness.Statements.Commands.Single(c => c.Contains($"UPDATE \"{Table}\"", StringComparison.Ordinal));
        Assert.Contains("\"Fields\"", update, StringComparison.Ordinal);
        Assert.Contains("\"ContentHash\"", update, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Email\"", update, StringComparison.Ordinal);
        Assert.DoesNotContain("\"TenantId\"", update.Split("WHERE")[0], StringComparison.Ordinal);
        Assert.Equal("Partner", (await harness.EmployeesAsync(tenant)).Single(e => e.DirectoryId == EngineHarness.UserId(3)).GetField(FieldNames.JobTitle));
    }

    [SkippableFact]
    public async Task A_failure_mid_batch_leaves_the_batch_unwritten_and_the_next_run_converges()
    {
        var tenant = NewTenant();
        await using var harness = await EngineHarness.CreateAsync(database, writeBatchSize: 100, tenant);
        harness.AddUsers(tenant, 250);

        // The database itself fails the 150th insert (a trigger), whichever path the store inserts by.
        await using (var context = new TestDbContext(database.Options<TestDbContext>()))
        {
            await context.Database.ExecuteSqlRawAsync(FailInsertSql(tenant, EngineHarness.UserId(149)));
        }

        var report = await harness.RunAsync(tenant);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains(report.Errors, e => e.Contains("the database went away", StringComparison.Ordinal));
        Assert.Equal(100, (await harness.EmployeesAsync(tenant)).Count);

        await using (var context = new TestDbContext(database.Options<TestDbContext>()))
        {
            await context.Database.ExecuteSqlRawAsync(DropFailInsertSql(tenant));
        }

        var next = await harness.RunAsync(tenant);

        Assert.Equal(SyncOutcome.Succeeded, next.Outcome);
        var employees = await harness.EmployeesAsync(tenant);
        Assert.Equal(250, employees.Count);
        Assert.Equal(250, employees.Select(e => e.DirectoryId).Distinct().Count());
        Assert.Equal(150, next.Counts.Created);
        Assert.Equal(100, next.Counts.Unchanged);
    }

    [SkippableFact]
    public async Task Tenants_sharing_a_database_never_see_each_others_employees()
    {
        var a = NewTenant();
        var b = NewTenant();
        await using var harness = await EngineHarness.CreateAsync(database, tenants: [a, b]);
        harness.AddUsers(a, 30);
        harness.AddUsers(b, 30);
        await harness.RunAsync(a);
        await harness.RunAsync(b);

        harness.Directory.Remove(a, EngineHarness.UserId(1));
        var report = await harness.RunAsync(a);

        Assert.Equal(1, report.Counts.Deactivated);
        Assert.False((await harness.EmployeesAsync(a)).Single(e => e.DirectoryId == EngineHarness.UserId(1)).DeactivatedAt is null);
        Assert.All(await harness.EmployeesAsync(b), e => Assert.Null(e.DeactivatedAt));
        Assert.Equal(30, (await harness.EmployeesAsync(b)).Count);
    }

    [SkippableFact]
    public async Task Run_history_checkpoint_and_lease_are_kept_in_the_state_tables()
    {
        var tenant = NewTenant();
        await using var harness = await EngineHarness.CreateAsync(database, tenants: tenant);
        harness.AddUsers(tenant, 5);
        var report = await harness.RunAsync(tenant, SyncMode.Incremental);

        await using var context = new TestDbContext(database.Options<TestDbContext>());
        var run = await context.Set<SyncRunEntry>().SingleAsync(r => r.TenantId == tenant);
        Assert.Equal(report.RunId, run.RunId);
        Assert.Equal("Succeeded", run.Outcome);
        Assert.NotNull(await context.Set<SyncCheckpointEntry>().SingleOrDefaultAsync(c => c.TenantId == tenant));
        var lease = await context.Set<SyncRunLeaseEntry>().SingleAsync(l => l.TenantId == tenant);
        Assert.Null(lease.Owner);
    }
}

public sealed class SqliteEngineTests(SqliteDatabase database) : EngineTests(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresEngineTests(PostgresDatabase database) : EngineTests(database), IClassFixture<PostgresDatabase>;
