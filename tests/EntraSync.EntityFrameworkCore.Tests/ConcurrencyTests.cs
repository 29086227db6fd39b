using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>
/// A host edit racing a sync batch, on PostgreSQL: its read-committed transactions let another connection change a row
/// between the store's read and its UPDATE. (SQLite cannot race like this: a write transaction holds the database, so
/// the host's edit waits for the batch or the batch sees it.)
/// </summary>
public sealed class ConcurrencyTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string Table = "SyncedEmployees";

    [SkippableFact]
    public async Task A_host_edit_between_the_batch_read_and_its_write_rolls_the_batch_back_and_it_is_applied_again_on_top()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        await using var harness = await EngineHarness.CreateAsync(database, tenants: tenant);
        harness.AddUsers(tenant, 20);
        await harness.RunAsync(tenant);
        harness.AddUsers(tenant, 1, from: 3, title: "Partner");
        harness.AddUsers(tenant, 1, from: 4, title: "Partner");

        var hostVersion = -1;
        harness.Statements.FailWhen = command =>
        {
            if (hostVersion < 0 && command.Contains($"UPDATE \"{Table}\"", StringComparison.Ordinal))
            {
                // The host saves its own edit of employee 3 (bumping the concurrency token, as documented) after the
                // store read the row in its transaction and before the store's UPDATE runs.
                using var host = new TestDbContext(database.Options<TestDbContext>());
                var employee = host.Employees.Single(e => e.TenantId == tenant && e.DirectoryId == EngineHarness.UserId(3));
                employee.Fields = employee.Fields!.Replace("Consultant", "Edited by the host", StringComparison.Ordinal);
                employee.Version++;
                host.SaveChanges();
                hostVersion = employee.Version;
            }

            return null;
        };
        harness.Statements.Reset();

        var report = await harness.RunAsync(tenant);

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(2, report.Counts.Updated);
        Assert.True(hostVersion > 0, "the host edit ran inside the batch");

        // The first attempt's UPDATE of employee 3 matched no row (the token had moved), so the batch rolled back as
        // a whole and was read and applied again: two employees updated twice.
        Assert.Equal(4, harness.Statements.Count("UPDATE", Table));
        var employees = await harness.EmployeesAsync(tenant);
        var edited = employees.Single(e => e.DirectoryId == EngineHarness.UserId(3));
        Assert.Equal("Partner", edited.GetField(FieldNames.JobTitle)); // sync wins for synced columns
        Assert.Equal(hostVersion + 1, edited.Version);                  // written on top of the host's edit
        Assert.Equal("Partner", employees.Single(e => e.DirectoryId == EngineHarness.UserId(4)).GetField(FieldNames.JobTitle));
        Assert.All(employees.Where(e => e.DirectoryId != EngineHarness.UserId(3) && e.DirectoryId != EngineHarness.UserId(4)), e => Assert.Equal("Consultant", e.GetField(FieldNames.JobTitle)));
    }
}
