using System.Diagnostics;
using EntraSync.Reliability.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Load;

/// <summary>
/// Two hundred tenants of 1,000 users each, synced concurrently by the hosted scheduler through the full stack (one
/// emulator serving every tenant, the Graph source, the engine, the EF Core store on one SQLite file) while 20% of Graph
/// requests are throttled. Every tenant completes with exactly its directory; the spread of completion is reported,
/// not asserted (no timed assertions).
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Tenants = 200;
    private const int UsersPerTenant = 1_000;

    [Fact]
    public async Task Two_hundred_tenants_of_a_thousand_users_all_complete_under_throttling()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions
        {
            Graph = o => o.MaxRetries = 10,
            Builder = b => b.AddScheduler(o =>
            {
                o.MaxConcurrentRuns = 8;
                o.Jitter = TimeSpan.Zero;
                o.PollInterval = TimeSpan.FromSeconds(1);
                o.ProfileRefreshInterval = TimeSpan.FromMinutes(5);
            }),
        });
        var tenants = new List<EmulatedTenant>(Tenants);
        for (var t = 0; t < Tenants; t++)
        {
            var tenant = stack.Emulator.AddTenant(Guid.NewGuid().ToString(), o => o.UserCount = 0);
            tenant.AddUsers(People.Range(0, UsersPerTenant, $"tenant{t:D3}.example"));
            tenants.Add(tenant);
            stack.AddProfile(tenant, p =>
            {
                p.Schedule.Interval = TimeSpan.FromHours(1);
                p.Schedule.FullSyncInterval = TimeSpan.Zero;
                p.MaxUserOutcomesInReport = 10;
            });
        }

        stack.Emulator.ClearRequests();
        stack.Emulator.Faults.Status = 429;
        stack.Emulator.Faults.Rate = 0.2;
        stack.Emulator.Faults.RetryAfterSeconds = 0.05;
        var clock = Stopwatch.StartNew();
        var hosted = stack.Services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var pending = tenants.Select(t => t.Id).ToHashSet();
        var completedAt = new Dictionary<string, TimeSpan>();
        var limit = TimeSpan.FromMinutes(10);
        while (pending.Count > 0)
        {
            Assert.True(clock.Elapsed < limit, $"gave up waiting after {limit}: {pending.Count} tenants never completed");
            await Task.Delay(250);
            foreach (var id in pending.ToList())
            {
                if (await stack.Sync.GetTenantStateAsync(id) is { LastRunAt: not null } state)
                {
                    completedAt[id] = clock.Elapsed;
                    pending.Remove(id);
                    Assert.True(state.LastSuccessAt is not null, $"tenant {id}: {state.LastFailureMessage}");
                }
            }
        }

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        stack.Emulator.Faults.Reset();
        var elapsed = clock.Elapsed;
        var throttled = stack.Emulator.Requests.Count(r => r.Fault is not null);
        var graphRequests = stack.Emulator.Requests.Count(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
        Assert.True(throttled > 0);

        await using var context = stack.Database.CreateContext();
        var rows = await context.Employees.AsNoTracking()
            .GroupBy(e => e.TenantId)
            .Select(g => new { Tenant = g.Key, Count = g.Count(), Active = g.Count(e => e.DeactivatedAt == null), Ids = g.Select(e => e.DirectoryId).Distinct().Count() })
            .ToListAsync();
        Assert.Equal(Tenants, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(UsersPerTenant, r.Count);
            Assert.Equal(UsersPerTenant, r.Active);
            Assert.Equal(UsersPerTenant, r.Ids);
        });
        foreach (var tenant in tenants)
        {
            var runs = await stack.Sync.GetRunsAsync(tenant.Id);
            var first = Assert.Single(runs);
            Assert.Equal(SyncOutcome.Succeeded, first.Outcome);
            Assert.Equal(UsersPerTenant, first.Counts.Created);
        }

        var spread = completedAt.Values.Order().ToList();
        var durations = new List<TimeSpan>();
        foreach (var tenant in tenants)
        {
            durations.Add((await stack.Sync.GetRunsAsync(tenant.Id))[0].Duration);
        }

        durations.Sort();
        var summary = $"{Tenants} tenants x {UsersPerTenant} users in {elapsed.TotalSeconds:0} s; first tenant done at {spread[0].TotalSeconds:0.0} s, median {spread[spread.Count / 2].TotalSeconds:0.0} s, last {spread[^1].TotalSeconds:0.0} s; "
            + $"run duration median {durations[durations.Count / 2].TotalSeconds:0.00} s, max {durations[^1].TotalSeconds:0.00} s; {graphRequests} Graph requests, {throttled} throttled";
        output.WriteLine(summary);
        Figures.Report(output, "Load: 200 tenants x 1,000 users, scheduler, 20% throttling", throttled, runs: Tenants, usersChecked: Tenants * UsersPerTenant, lost: 0, wronglyRemoved: 0, extra: summary);
    }
}
