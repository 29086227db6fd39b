using System.Net;
using EntraSync.Reliability.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Faults;

/// <summary>
/// Each fault hits the full stack mid-run: emulator, Microsoft Graph source (real SDK pipeline), engine, EF Core store
/// on a SQLite file. Before the fault the tenant is synced, then the directory changes (creates, updates, soft and hard
/// deletes) and the faulted run starts. After it: nobody who is still in the directory was removed and nothing is linked
/// twice; the next clean run converges to exactly the directory, inserting only who is missing; a further run writes nothing.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Users = 1_500;
    private const int Created = 120;
    private const int Updated = 40;
    private const int SoftDeleted = 5;
    private const int HardDeleted = 3;

    public static TheoryData<string> Scenarios() =>
    [
        "429 storm (30% of requests)",
        "503 and 504 bursts absorbed by retries",
        "503 burst longer than the retries",
        "latency spike longer than the request timeout",
        "latency on every request",
        "body cut off mid-page once",
        "bodies cut off on every attempt",
        "connection reset",
        "connection resets on every attempt",
        "emulator stopped mid-run",
        "token endpoint failing",
        "store throws mid-batch",
        "process cancelled mid-read",
        "process cancelled mid-write",
        "delta token expired",
        "410 Gone reset",
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task After_the_fault_nobody_is_wrongly_removed_and_the_next_clean_run_converges(string scenario)
    {
        var https = scenario == "token endpoint failing";
        await using var stack = await FullStack.StartAsync(new StackOptions
        {
            Users = Users,
            Https = https,
            WriteBatchSize = 50,
            Graph = o =>
            {
                o.MaxRetries = scenario.StartsWith("429", StringComparison.Ordinal) ? 10 : 6;
                // Short enough that the spike (5 s) always exceeds it, long enough that a busy CI machine's first pages don't.
                o.RequestTimeout = scenario.StartsWith("latency spike", StringComparison.Ordinal) ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
            },
        });
        if (https)
        {
            stack.Tenant.AddApplication(FullStack.ClientId, "Reliability~Secret-1");
        }

        var profile = stack.AddProfile(configure: p =>
        {
            // Photo metadata is one request per user: enough requests for a storm to mean something.
            p.Photos.Enabled = scenario.StartsWith("429", StringComparison.Ordinal);
            if (https)
            {
                p.Connection.GraphBaseUrl = stack.Emulator.HttpsBaseAddress + "v1.0";
            }
        });
        List<EntraSync.EntityFrameworkCore.SyncedEmployee> locals =
        [
            await stack.AddLocalEmployeeAsync("only.here@host.example"),
            await stack.AddLocalEmployeeAsync("person9999@elsewhere.example"),
        ];

        var baseline = await stack.RunAsync(SyncMode.Full);
        Assert.True(baseline.Outcome == SyncOutcome.Succeeded, string.Join(" ", baseline.Errors));
        Assert.True(Oracle.Compare(await stack.EmployeesAsync(), stack.Tenant.GetUsers(), locals).Converged);

        ChangeTheDirectory(stack.Tenant);
        stack.Emulator.ClearRequests();
        var before = await stack.EmployeesAsync();
        using var cancel = new CancellationTokenSource();
        var injectedByHook = 0;
        var expected = SyncOutcome.Failed;
        var faultedMode = SyncMode.Full;
        var cleanMode = SyncMode.Incremental;
        IReadOnlyList<EmulatedUser>? stopped = null;
        switch (scenario)
        {
            case "429 storm (30% of requests)":
                Storm(stack, 429, 0.3);
                expected = SyncOutcome.Succeeded;
                break;
            case "503 and 504 bursts absorbed by retries":
                // The first page answers 503, 503, then 504, 504 (five attempts of the seven allowed), then 200.
                AtUsersRequest(stack, 2, () => Burst(stack, 503, 2));
                AtUsersRequest(stack, 4, () => Burst(stack, 504, 2));
                expected = SyncOutcome.Succeeded;
                break;
            case "503 burst longer than the retries":
                AtUsersRequest(stack, 3, () => Burst(stack, 503, 20));
                break;
            case "latency spike longer than the request timeout":
                AtUsersRequest(stack, 3, () =>
                {
                    injectedByHook++;
                    stack.Emulator.Faults.LatencyMs = 5_000;
                });
                break;
            case "latency on every request":
                stack.Emulator.Faults.LatencyMs = 150;
                expected = SyncOutcome.Succeeded;
                break;
            case "body cut off mid-page once":
                AtUsersRequest(stack, 3, () => CutOff(stack, 1));
                expected = SyncOutcome.Succeeded;
                break;
            case "bodies cut off on every attempt":
                AtUsersRequest(stack, 3, () => CutOff(stack, 10));
                break;
            case "connection reset":
                AtUsersRequest(stack, 3, () => Reset(stack, 1));
                expected = SyncOutcome.Succeeded;
                break;
            case "connection resets on every attempt":
                AtUsersRequest(stack, 3, () => Reset(stack, 10));
                break;
            case "emulator stopped mid-run":
                AtUsersRequest(stack, 3, async () =>
                {
                    injectedByHook++;
                    stopped = await stack.StopEmulatorAsync();
                });
                cleanMode = SyncMode.Full;
                break;
            case "token endpoint failing":
                // A new credential must sign in: the token endpoint answers 503 to it.
                profile.Connection.AccessToken = null;
                profile.Connection.ClientId = FullStack.ClientId;
                profile.Connection.ClientSecret = "Reliability~Secret-1";
                profile.Connection.AuthorityHost = stack.Emulator.HttpsBaseAddress!.AbsoluteUri;
                profile.Connection.TokenScope = "https://graph.microsoft.com/.default";
                stack.Token.FailWith = HttpStatusCode.ServiceUnavailable;
                break;
            case "store throws mid-batch":
                var writes = 0;
                stack.Store.FailWhen = sql => IsWrite(sql) && Interlocked.Increment(ref writes) == 3
                    ? new SqliteException("SQLite Error 10: 'disk I/O error' (injected).", 10)
                    : null;
                break;
            case "process cancelled mid-read":
                AtUsersRequest(stack, 3, () =>
                {
                    injectedByHook++;
                    cancel.Cancel();
                });
                expected = SyncOutcome.Cancelled;
                break;
            case "process cancelled mid-write":
                var seen = 0;
                stack.Store.FailWhen = sql =>
                {
                    if (IsWrite(sql) && Interlocked.Increment(ref seen) == 2)
                    {
                        injectedByHook++;
                        cancel.Cancel();
                    }

                    return null;
                };
                expected = SyncOutcome.Cancelled;
                break;
            case "delta token expired":
                stack.Tenant.ExpireDeltaTokens();
                injectedByHook++;
                faultedMode = SyncMode.Incremental;
                expected = SyncOutcome.Succeeded;
                break;
            case "410 Gone reset":
                stack.Tenant.ResetDeltaState();
                injectedByHook++;
                faultedMode = SyncMode.Incremental;
                expected = SyncOutcome.Succeeded;
                break;
            default:
                throw new InvalidOperationException(scenario);
        }

        var faulted = await stack.RunAsync(faultedMode, cancel.Token);
        stack.Http.Before = null;
        stack.Store.FailWhen = null;
        stack.Token.FailWith = null;
        var injected = injectedByHook + stack.Store.Injected + stack.Token.Failures + stack.Emulator.Requests.Count(r => r.Fault is not null);
        if (scenario == "latency on every request")
        {
            injected += stack.Emulator.Requests.Count(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
        }

        if (stopped is not null)
        {
            await stack.RestartEmulatorAsync(stopped);
        }

        stack.Emulator.Faults.Reset();
        output.WriteLine($"faulted run: {faulted}; {string.Join(" ", faulted.Errors)} {faulted.FallbackReason}");
        Assert.True(expected == faulted.Outcome, $"{faulted.Outcome}: {string.Join(" ", faulted.Errors)}");
        Assert.True(injected > 0, "the fault fired");
        if (faulted.Outcome != SyncOutcome.Succeeded)
        {
            Assert.NotEmpty(faulted.Errors);
            Assert.False(faulted.IsReadComplete);
            Assert.Equal(0, faulted.Counts.Deactivated + faulted.Counts.Deleted + faulted.Counts.Staged);
        }
        else if (faulted.Mode == SyncMode.Full && faultedMode == SyncMode.Incremental)
        {
            Assert.NotNull(faulted.FallbackReason);
        }

        var afterFault = await stack.EmployeesAsync();
        var wronglyRemoved = Oracle.WronglyRemoved(before, afterFault, stack.Tenant.GetUsers());
        Assert.Empty(wronglyRemoved);
        Assert.Equal(afterFault.Count, afterFault.Select(e => e.DirectoryId ?? e.Id.ToString()).Distinct(StringComparer.OrdinalIgnoreCase).Count());

        var linked = afterFault.Where(e => e.DirectoryId is not null).Select(e => e.DirectoryId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = stack.Tenant.GetUsers().Count(u => !linked.Contains(u.Id));
        stack.Store.Reset();
        var clean = await stack.RunAsync(cleanMode);

        Assert.True(clean.Outcome == SyncOutcome.Succeeded, string.Join(" ", clean.Errors));
        Assert.Equal(missing, clean.Counts.Created);
        Assert.Equal(clean.Counts.Created, stack.Store.Count("INSERT"));
        var comparison = Oracle.Compare(await stack.EmployeesAsync(), stack.Tenant.GetUsers(), locals);
        Assert.True(comparison.Converged, comparison.ToString());
        Assert.Equal(Users + Created - SoftDeleted - HardDeleted, comparison.Expected);

        stack.Store.Reset();
        var again = await stack.RunAsync(SyncMode.Incremental);
        Assert.Equal(SyncOutcome.Succeeded, again.Outcome);
        Assert.Equal(0, again.Counts.Changes);
        Assert.Equal(0, stack.Store.Count("INSERT") + stack.Store.Count("UPDATE") + stack.Store.Count("DELETE"));

        Figures.Report(output, "Fault: " + scenario, injected, runs: 4, comparison.Expected, comparison.Lost, wronglyRemoved.Count,
            extra: $"faulted run {faulted.Outcome}, clean run created {clean.Counts.Created}, updated {clean.Counts.Updated}, removed {clean.Counts.Deactivated + clean.Counts.Deleted}");
    }

    /// <summary>Creates, updates, soft-deletes and hard-deletes users after the baseline.</summary>
    private static void ChangeTheDirectory(EmulatedTenant tenant)
    {
        tenant.AddUsers(People.Range(Users, Created));
        for (var i = 0; i < Updated; i++)
        {
            // Spread over both /users pages.
            tenant.UpdateUser(People.Id(i * 37), u => u.JobTitle = "Senior Consultant");
        }

        for (var i = 0; i < SoftDeleted; i++)
        {
            tenant.DeleteUser(People.Id(1_000 + i));
        }

        for (var i = 0; i < HardDeleted; i++)
        {
            tenant.PermanentlyDeleteUser(People.Id(1_100 + i));
        }
    }

    private static bool IsWrite(string sql) =>
        sql.Contains($"INSERT INTO \"{StoreProbe.Table}\"", StringComparison.Ordinal) || sql.Contains($"UPDATE \"{StoreProbe.Table}\"", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="act"/> just before the n-th request for users (1-based) leaves the process.</summary>
    private static void AtUsersRequest(FullStack stack, int n, Action act) => AtUsersRequest(stack, n, () =>
    {
        act();
        return Task.CompletedTask;
    });

    private static void AtUsersRequest(FullStack stack, int n, Func<Task> act)
    {
        var previous = stack.Http.Before;
        var count = 0;
        stack.Http.Before = async request =>
        {
            if (previous is not null)
            {
                await previous(request);
            }

            if (request.RequestUri!.AbsolutePath.Contains("/v1.0/users", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref count) == n)
            {
                await act();
            }
        };
    }

    private static void Storm(FullStack stack, int status, double rate)
    {
        var faults = stack.Emulator.Faults;
        faults.Status = status;
        faults.Rate = rate;
        faults.RetryAfterSeconds = 0.01;
    }

    private static void Burst(FullStack stack, int status, int count)
    {
        var faults = stack.Emulator.Faults;
        faults.Status = status;
        faults.Rate = 1;
        faults.Count = count;
        faults.RetryAfterSeconds = 0.01;
    }

    private static void CutOff(FullStack stack, int count)
    {
        stack.Emulator.Faults.CutOffRate = 1;
        stack.Emulator.Faults.Count = count;
    }

    private static void Reset(FullStack stack, int count)
    {
        stack.Emulator.Faults.ConnectionResetRate = 1;
        stack.Emulator.Faults.Count = count;
    }
}
