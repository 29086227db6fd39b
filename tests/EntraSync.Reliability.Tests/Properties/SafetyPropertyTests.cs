using CsCheck;
using EntraSync.EntityFrameworkCore;
using EntraSync.Graph;
using EntraSync.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Properties;

/// <summary>
/// Generated histories (CsCheck): directory changes (create, update, soft delete, restore, hard delete, scope changes
/// through the OData filter <c>accountEnabled eq true</c>) interleaved with clean, failed and cancelled runs, on the
/// full stack. After every run nobody still in scope was removed, nothing is linked twice, the host's own employees
/// are untouched, and a run above the removal threshold applied no removal. After a final clean full run (and
/// approving what it staged) the store equals the directory.
/// </summary>
public sealed class SafetyPropertyTests(ITestOutputHelper output)
{
    private const int Iterations = 30;
    private const int StartUsers = 12;
    private const int MaxRemovals = 2;

    private enum Step
    {
        Create,
        Update,
        SoftDelete,
        Restore,
        HardDelete,
        Disable,
        Enable,
        CleanRun,
        FailedRun,
        CancelledRun,
    }

    private enum Status
    {
        Active,
        SoftDeleted,
        Gone,
    }

    [Fact]
    public async Task Random_histories_never_remove_the_wrong_employee_and_converge_after_a_clean_run()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions
        {
            WriteBatchSize = 4,
            Graph = o =>
            {
                o.MaxRetries = 1;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                o.FullReadStrategy = GraphFullReadStrategy.DeltaRound;
            },
        });
        var totals = new Totals();
        var gen = Gen.Select(Gen.Int[0, 9], Gen.Int[0, StartUsers + 8]).Array[3, 16];
        await gen.SampleAsync(
            async steps => await HistoryAsync(stack, steps.Select(s => ((Step)s.Item1, s.Item2)).ToList(), totals),
            iter: Iterations,
            threads: 1,
            print: steps => string.Join(", ", steps.Select(s => $"{(Step)s.Item1}({s.Item2})")));

        Assert.True(totals.Runs >= Iterations * 2);
        Figures.Report(output, "Generated histories (CsCheck)", totals.Faults, totals.Runs, totals.UsersChecked, lost: 0, wronglyRemoved: 0,
            extra: $"{Iterations} histories, {totals.Steps} directory changes, {totals.Staged} runs staged removals (none applied), {totals.Approved} approvals");
    }

    private static async Task HistoryAsync(FullStack stack, List<(Step Step, int User)> steps, Totals totals)
    {
        var tenant = stack.Emulator.AddTenant(Guid.NewGuid().ToString(), t => t.UserCount = 0);
        tenant.DeltaPageSize = 5;
        var domain = tenant.Id[..8] + ".example";
        var status = new Dictionary<int, Status>();
        foreach (var user in People.Range(0, StartUsers, domain))
        {
            tenant.AddUser(user);
        }

        for (var i = 0; i < StartUsers; i++)
        {
            status[i] = Status.Active;
        }

        stack.AddProfile(tenant, p =>
        {
            p.Scope.ODataFilter = "accountEnabled eq true";
            p.Removal.MaxRemovalsPerRun = MaxRemovals;
            p.Removal.PercentageGuardMinimum = 1_000;
        });
        List<SyncedEmployee> locals = [await stack.AddLocalEmployeeAsync("local.only@" + domain, tenant.Id)];
        await RunAndCheckAsync(stack, tenant, locals, SyncMode.Full, Step.CleanRun, totals);

        foreach (var (step, user) in steps)
        {
            totals.Steps++;
            var known = status.TryGetValue(user, out var current);
            switch (step)
            {
                case Step.Create when !known:
                    tenant.AddUser(People.Person(user, domain));
                    status[user] = Status.Active;
                    break;
                case Step.Update when current == Status.Active && known:
                    tenant.UpdateUser(People.Id(user), u => u.JobTitle = "Title " + totals.Steps);
                    break;
                case Step.SoftDelete when current == Status.Active && known:
                    tenant.DeleteUser(People.Id(user));
                    status[user] = Status.SoftDeleted;
                    break;
                case Step.Restore when current == Status.SoftDeleted:
                    tenant.RestoreUser(People.Id(user));
                    status[user] = Status.Active;
                    break;
                case Step.HardDelete when current == Status.SoftDeleted:
                    tenant.PermanentlyDeleteUser(People.Id(user));
                    status[user] = Status.Gone;
                    break;
                case Step.Disable when current == Status.Active && known:
                    tenant.UpdateUser(People.Id(user), u => u.AccountEnabled = false);
                    break;
                case Step.Enable when current == Status.Active && known:
                    tenant.UpdateUser(People.Id(user), u => u.AccountEnabled = true);
                    break;
                case Step.CleanRun:
                    await RunAndCheckAsync(stack, tenant, locals, SyncMode.Incremental, step, totals);
                    break;
                case Step.FailedRun or Step.CancelledRun:
                    // A full read is the dangerous one: whoever it does not see would be removed.
                    await RunAndCheckAsync(stack, tenant, locals, SyncMode.Full, step, totals);
                    break;
                default:
                    totals.Steps--;
                    break;
            }
        }

        // Every history ends with more leavers than the threshold allows: that run must stage them, not apply them.
        var activeInStore = (await stack.EmployeesAsync(tenant.Id)).Where(e => e.DirectoryId is not null && e.DeactivatedAt is null).Select(e => e.DirectoryId!).ToHashSet();
        var leavers = status.Where(s => s.Value == Status.Active && activeInStore.Contains(People.Id(s.Key)) && tenant.FindUser(People.Id(s.Key))?.AccountEnabled == true)
            .Select(s => s.Key).Take(MaxRemovals + 1).ToList();
        foreach (var user in leavers)
        {
            tenant.DeleteUser(People.Id(user));
            status[user] = Status.SoftDeleted;
        }

        var burst = await RunAndCheckAsync(stack, tenant, locals, SyncMode.Incremental, Step.CleanRun, totals);
        Assert.True(leavers.Count <= MaxRemovals || burst.StagedRemovalsId is not null, "removals above the threshold were staged");
        var final = await RunAndCheckAsync(stack, tenant, locals, SyncMode.Full, Step.CleanRun, totals);
        if (final.StagedRemovalsId is { } staged)
        {
            var approved = await stack.Sync.ApproveRemovalsAsync(tenant.Id, staged, "property test");
            Assert.Equal(SyncOutcome.Succeeded, approved.Outcome);
            totals.Approved++;
        }

        var inScope = tenant.GetUsers().Where(u => u.AccountEnabled == true).ToList();
        var comparison = Oracle.Compare(await stack.EmployeesAsync(tenant.Id), inScope, locals);
        Assert.True(comparison.Converged, comparison.ToString());
        totals.UsersChecked += comparison.Expected;
    }

    private static async Task<SyncReport> RunAndCheckAsync(FullStack stack, EmulatedTenant tenant, List<SyncedEmployee> locals, SyncMode mode, Step step, Totals totals)
    {
        var before = await stack.EmployeesAsync(tenant.Id);
        using var cancel = new CancellationTokenSource();
        var requests = 0;
        if (step != Step.CleanRun)
        {
            stack.Http.Before = _ =>
            {
                if (Interlocked.Increment(ref requests) == 2)
                {
                    totals.Faults++;
                    if (step == Step.CancelledRun)
                    {
                        cancel.Cancel();
                    }
                    else
                    {
                        stack.Emulator.Faults.Status = 503;
                        stack.Emulator.Faults.RetryAfterSeconds = 0.001;
                        stack.Emulator.Faults.Count = 50;
                    }
                }

                return Task.CompletedTask;
            };
        }

        SyncReport report;
        try
        {
            report = await stack.RunAsync(tenant.Id, mode, cancel.Token);
        }
        finally
        {
            stack.Http.Before = null;
            stack.Emulator.Faults.Reset();
        }

        totals.Runs++;
        var expected = step switch
        {
            Step.FailedRun when requests >= 2 => SyncOutcome.Failed,
            Step.CancelledRun when requests >= 2 => SyncOutcome.Cancelled,
            _ => SyncOutcome.Succeeded,
        };
        Assert.True(expected == report.Outcome, $"{step}: {report.Outcome} {string.Join(" ", report.Errors)}");
        var after = await stack.EmployeesAsync(tenant.Id);
        var inScope = tenant.GetUsers().Where(u => u.AccountEnabled == true).ToList();
        Assert.Empty(Oracle.WronglyRemoved(before, after, inScope));
        Assert.Equal(after.Count(e => e.DirectoryId is not null), after.Where(e => e.DirectoryId is not null).Select(e => e.DirectoryId).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(0, Oracle.Compare(after, inScope, locals).LocalChanged);
        if (report.Counts.Staged > 0)
        {
            totals.Staged++;
            Assert.True(report.Counts.Staged > MaxRemovals);
            Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted);
            Assert.Equal(before.Count(e => e.DeactivatedAt is null), after.Count(e => e.DeactivatedAt is null) - report.Counts.Created - report.Counts.Reactivated);
        }

        if (report.Outcome != SyncOutcome.Succeeded)
        {
            Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted + report.Counts.Staged);
        }

        return report;
    }

    private sealed class Totals
    {
        public int Runs { get; set; }

        public int Faults { get; set; }

        public int Steps { get; set; }

        public int Staged { get; set; }

        public int Approved { get; set; }

        public int UsersChecked { get; set; }
    }
}
