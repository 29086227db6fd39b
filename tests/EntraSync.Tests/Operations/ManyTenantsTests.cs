namespace EntraSync.Tests.Operations;

/// <summary>
/// Two hundred tenants through the hosted scheduler on a fake clock. The directory is <see cref="EntraSync.Testing.InMemoryDirectory"/>:
/// the Microsoft Graph source had not landed when this was written; swap in the emulator once it has.
/// </summary>
public sealed class ManyTenantsTests
{
    [Fact]
    public async Task Two_hundred_tenants_are_each_synced_within_their_interval()
    {
        var jitter = TimeSpan.FromMinutes(10);
        var step = TimeSpan.FromMinutes(1);
        await using var h = new OperationsHarness(o =>
        {
            o.Jitter = jitter;
            o.MaxConcurrentRuns = 8;
        });
        var intervals = new Dictionary<string, TimeSpan>();
        for (var i = 0; i < 200; i++)
        {
            var tenant = $"tenant{i:D3}";
            var interval = i % 2 == 0 ? TimeSpan.FromHours(1) : TimeSpan.FromHours(2);
            intervals[tenant] = interval;
            h.AddTenant(tenant, users: 10, configure: p =>
            {
                p.Schedule.Interval = interval;
                p.Schedule.FullSyncInterval = TimeSpan.FromHours(4);
            });
        }

        await h.StartAsync();
        var window = TimeSpan.FromHours(5);
        await h.AdvanceAsync(window, step);
        var end = h.Time.GetUtcNow();

        foreach (var (tenant, interval) in intervals)
        {
            var runs = await h.RunsAsync(tenant);
            Assert.All(runs, r => Assert.Equal(SyncOutcome.Succeeded, r.Outcome));
            Assert.InRange(runs[0].StartedAt, OperationsHarness.Start, OperationsHarness.Start + jitter + step);
            var previous = runs[0].StartedAt;
            foreach (var run in runs.Skip(1))
            {
                Assert.InRange(run.StartedAt - previous, interval - step, interval + step);
                previous = run.StartedAt;
            }

            Assert.True(end - previous <= interval, $"{tenant} last synced at {previous:u}, more than {interval} before {end:u}");
            Assert.Contains(runs.Skip(1), r => r.RequestedMode == SyncMode.Full);
            Assert.Equal(10, h.Store.GetEmployees(tenant).Count);
        }

        Assert.InRange(h.Directory.MaxConcurrentReads, 1, 8);
        Assert.Equal(1, h.Directory.MaxConcurrentReadsPerTenant);
    }
}
