using EntraSync.Tests.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EntraSync.Tests.Health;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Healthy_when_every_tenant_is_in_sync()
    {
        await using var h = Harness();
        h.AddTenant("a");
        h.AddTenant("b");
        await h.StartAsync();

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("2 tenants in sync.", result.Description);
        Assert.Equal(2, result.Data["tenants"]);
    }

    [Fact]
    public async Task Degraded_with_each_tenant_needing_attention_named()
    {
        await using var h = Harness(o => o.QuarantineAfterFailures = 2);
        for (var i = 0; i < 6; i++)
        {
            h.AddTenant($"ok{i}");
        }

        h.AddTenant("failing");
        h.AddTenant("quarantined");
        h.AddTenant("staged", users: 20);
        h.Directory.Fail("failing", () => new DirectoryException("Graph is unavailable.", DirectoryErrorKind.Unavailable));
        h.Directory.Fail("quarantined", () => new DirectoryException("Consent revoked.", DirectoryErrorKind.PermissionMissing));
        await h.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            h.Directory.Inner.Remove("staged", ControlledDirectory.UserId(i));
        }

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal("9 tenants: 1 failing, 1 quarantined, 1 with staged removals awaiting approval.", result.Description);
        Assert.Equal(["failing (Unavailable, 2 in a row)"], (string[])result.Data["failingTenants"]);
        Assert.StartsWith("quarantined (PermissionMissing, until ", ((string[])result.Data["quarantinedTenants"])[0], StringComparison.Ordinal);
        Assert.Equal(["staged (20 removals)"], (string[])result.Data["awaitingApprovalTenants"]);

        // Approving clears it.
        var staged = (await h.Sync.GetStagedRemovalsAsync("staged")).Single();
        await h.Sync.ApproveRemovalsAsync("staged", staged.Id, "ops@example.com");
        Assert.False((await CheckAsync(h)).Data.ContainsKey("awaitingApprovalTenants"));
    }

    [Fact]
    public async Task Overdue_tenants_are_reported_only_when_the_scheduler_runs()
    {
        var world = new OperationsHarness.Shared();
        await using (var scheduled = Harness(shared: world))
        {
            scheduled.AddTenant("a");
            await scheduled.StartAsync();
        }

        // The scheduler stopped (crashed host, stuck loop): the tenant's slot passes unserved.
        world.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        await using var stalled = new OperationsHarness(shared: world, builder: b => b.Services.AddHealthChecks().AddEntraSync());
        var result = await CheckAsync(stalled);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(1, result.Data["overdue"]);

        await using var manualOnly = new OperationsHarness(shared: world, addScheduler: false, builder: b => b.Services.AddHealthChecks().AddEntraSync());
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(manualOnly)).Status);
    }

    [Fact]
    public async Task Unhealthy_when_most_tenants_fail_and_the_threshold_and_status_are_configurable()
    {
        await using var h = Harness(health: o => o.UnhealthyShare = 0.75, failureStatus: HealthStatus.Degraded);
        h.AddTenant("a");
        h.AddTenant("b");
        h.Directory.Fail("a", () => new DirectoryException("Graph is unavailable.", DirectoryErrorKind.Unavailable));
        h.Directory.Fail("b", () => new DirectoryException("Graph is unavailable.", DirectoryErrorKind.Unavailable));
        await h.StartAsync();

        var result = await CheckAsync(h);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(2, result.Data["failing"]);
    }

    private static OperationsHarness Harness(
        Action<EntraSyncSchedulerOptions>? scheduler = null,
        OperationsHarness.Shared? shared = null,
        Action<EntraSyncHealthCheckOptions>? health = null,
        HealthStatus? failureStatus = null) =>
        new(scheduler, b => b.Services.AddHealthChecks().AddEntraSync(failureStatus: failureStatus, configure: health), shared);

    private static async Task<HealthReportEntry> CheckAsync(OperationsHarness h) =>
        (await h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["entrasync"];
}
