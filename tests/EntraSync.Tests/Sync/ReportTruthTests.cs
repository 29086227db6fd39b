using EntraSync.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Tests.Sync;

/// <summary>A run that stops part-way reports what the store committed, not what it planned.</summary>
public sealed class ReportTruthTests
{
    [Fact]
    public async Task When_a_later_removal_batch_fails_the_report_counts_and_names_the_removals_applied()
    {
        await using var h = new SyncHarness(
            p => { p.Removal.MaxRemovalsPerRun = 1_000; p.Removal.MaxRemovalPercentPerRun = 100; },
            s => s.Configure<EntraSyncOptions>(o => o.WriteBatchSize = 5));
        var ids = Enumerable.Range(0, 30).Select(i => h.AddUser("User", $"Number{i}")).ToList();
        await h.RunAsync(SyncMode.Full);
        foreach (var id in ids.Take(25))
        {
            h.Directory.Remove(SyncHarness.Tenant, id);
        }

        var removalBatches = 0;
        h.Store.BeforeApply = batch =>
        {
            if (batch.All(c => c.Kind == EmployeeChangeKind.Deactivate) && ++removalBatches == 3)
            {
                throw new InvalidOperationException("disk full");
            }
        };
        var report = await h.RunAsync(SyncMode.Full);

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal(10, h.Employees.Count(e => !e.IsActive));
        Assert.Equal(10, report.Counts.Deactivated);
        Assert.Equal(10, (await h.Sync.GetRunsAsync(SyncHarness.Tenant, 1)).Single().Counts.Deactivated);
        var error = Assert.Single(report.Errors);
        Assert.DoesNotContain("Nobody was removed", error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("10 removal(s) were written", error, StringComparison.Ordinal);
        Assert.Contains("15 planned removal(s) were not", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_cancelled_mid_write_counts_only_the_batches_committed_in_the_report_and_history()
    {
        using var cancel = new CancellationTokenSource();
        await using var h = new SyncHarness(services: s => s.Configure<EntraSyncOptions>(o => o.WriteBatchSize = 5));
        for (var i = 0; i < 30; i++)
        {
            h.AddUser("User", $"Number{i}");
        }

        var batches = 0;
        h.Store.BeforeApply = _ =>
        {
            if (++batches == 3)
            {
                cancel.Cancel();
                throw new OperationCanceledException(cancel.Token);
            }
        };
        var report = await h.RunAsync(SyncMode.Full, cancellationToken: cancel.Token);

        Assert.Equal(SyncOutcome.Cancelled, report.Outcome);
        Assert.Equal(10, h.Employees.Count);
        Assert.Equal(10, report.Counts.Created);
        Assert.Equal(10, report.Counts.Changes);
        Assert.Equal(10, report.Users.Count(u => u.Action == UserAction.Created));
        Assert.Equal(10, (await h.Sync.GetRunsAsync(SyncHarness.Tenant, 1)).Single().Counts.Created);
    }
}
