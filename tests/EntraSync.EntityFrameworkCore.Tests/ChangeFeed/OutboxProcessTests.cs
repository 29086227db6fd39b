using System.Diagnostics;
using System.Globalization;
using EntraSync.ChangeFeed;
using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using EntraSync.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.EntityFrameworkCore.Tests.ChangeFeed;

/// <summary>
/// The outbox's promise across real process deaths: a process killed (SIGKILL) right after its sync committed, before
/// any handler ran, loses no event; a process killed while its handler handles an event gets that event again in the
/// next process, and only the events not acknowledged. Each step runs in its own <c>dotnet</c> process over one SQLite
/// file (<see cref="OutboxChild"/>), and the kills are the process killing itself at a known point, so the test does
/// not depend on timing.
/// </summary>
public sealed class OutboxProcessTests : IDisposable
{
    private const string Tenant = "contoso";
    private const int Users = 30;
    private const string AcknowledgedSql = $"SELECT \"Sequence\" FROM \"EntraSyncChangeFeedAcknowledgements\" WHERE \"TenantId\" = '{Tenant}'";
    private readonly string _folder = Directory.CreateTempSubdirectory("entrasync-outbox-").FullName;
    private int _steps;

    private string Database => Path.Combine(_folder, "host.db");

    private string Log => Path.Combine(_folder, "handled.log");

    [Fact]
    public async Task Events_survive_a_kill_after_the_commit_and_a_kill_inside_the_handler()
    {
        // 1. Sync 30 new users in batches of 10, then die before delivering anything.
        var sync = await RunChildAsync("sync-then-die");
        Assert.True(sync.Killed, $"the sync process was to kill itself after its commit; exit code {sync.ExitCode}. {sync.Output}");
        Assert.Empty(Handled());
        Assert.Equal(Users, await ScalarAsync("SELECT COUNT(*) FROM \"SyncedEmployees\""));

        // 2. A new process delivers; its handler dies while handling event 15, before acknowledging it.
        var dies = await RunChildAsync("deliver", "kill-at=15");
        Assert.True(dies.Killed, $"the delivering process was to kill itself on event 15; exit code {dies.ExitCode}. {dies.Output}");
        Assert.Equal(Enumerable.Range(1, 15).Select(i => ("deliver-1", (long)i)), Handled().Select(h => (h.Step, h.Sequence)));
        Assert.Equal(14, await ScalarAsync(AcknowledgedSql));

        // 3. The next process gets event 15 again (never acknowledged) and the rest, and nothing it already had.
        var rest = await RunChildAsync("deliver");
        Assert.Equal(0, rest.ExitCode);
        var handled = Handled();
        Assert.Equal(Enumerable.Range(15, Users - 14).Select(i => ("deliver-2", (long)i)), handled.Where(h => h.Step == "deliver-2").Select(h => (h.Step, h.Sequence)));

        // Every created employee's event arrived, in order, once per acknowledgement: event 15 twice, the others once.
        Assert.Equal(Users, handled.Select(h => h.DirectoryId).Distinct().Count());
        Assert.Equal([15L], handled.GroupBy(h => h.Sequence).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Equal(Users, await ScalarAsync(AcknowledgedSql));

        // 4. Once everything is acknowledged, another process has nothing to deliver.
        var nothing = await RunChildAsync("deliver");
        Assert.Equal(0, nothing.ExitCode);
        Assert.DoesNotContain(Handled(), h => h.Step == "deliver-3");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(int ExitCode, bool Killed, string Output)> RunChildAsync(string action, params string[] options)
    {
        var step = action == "deliver" ? $"deliver-{++_steps}" : action;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EntraSync.EntityFrameworkCore.Tests.dll"));
        start.ArgumentList.Add("outbox-child");
        foreach (var argument in (string[])[action, "db=" + Database, "log=" + Log, "step=" + step, "tenant=" + Tenant, "users=" + Users.ToString(CultureInfo.InvariantCulture), .. options])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        // Not a timing assertion: the limit only keeps a hung child from hanging the test run.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);

        // A process that kills itself with SIGKILL ends with 128 + 9 as the runtime reports it.
        return (process.ExitCode, process.ExitCode == 137, await output + await error);
    }

    private List<(string Step, long Sequence, string DirectoryId)> Handled() =>
        File.Exists(Log)
            ? [.. File.ReadAllLines(Log).Select(l => l.Split(' ')).Select(p => (p[0], long.Parse(p[1], CultureInfo.InvariantCulture), p[2]))]
            : [];

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

/// <summary>One step of <see cref="OutboxProcessTests"/>, in its own process: <c>sync-then-die</c> or <c>deliver</c>.</summary>
public static class OutboxChild
{
    public static async Task<int> RunAsync(string[] args)
    {
        var action = args[0];
        var settings = args.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var tenant = settings["tenant"];
        var users = int.Parse(settings["users"], CultureInfo.InvariantCulture);
        var killAt = settings.TryGetValue("kill-at", out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : (long?)null;
        var directory = new InMemoryDirectory { PageSize = 10 };
        for (var i = 0; i < users; i++)
        {
            directory.Upsert(tenant, EngineHarness.UserId(i), new Dictionary<string, object?>
            {
                ["displayName"] = $"User {i}",
                ["givenName"] = "User",
                ["surname"] = $"Number {i}",
                ["mail"] = $"user{i}@{tenant}.example",
                ["jobTitle"] = "Consultant",
            });
        }

        var services = new ServiceCollection();
        services.AddDbContextFactory<FeedDbContext>(o => o.UseSqlite($"Data Source={settings["db"]}"));
        services.AddEntraUserSync(o =>
            {
                o.WriteBatchSize = 10;
                o.Tenants.Add(new SyncProfile { TenantId = tenant });
            })
            .AddEntityFrameworkCoreStore<FeedDbContext>()
            .AddEntityFrameworkCoreChangeFeed<FeedDbContext>()
            .AddEmployeeChangeHandler<AppendingHandler>();
        services.AddSingleton(new HandlerSettings(settings["log"], settings["step"], killAt));
        services.AddSingleton<IDirectorySource>(directory);
        await using var provider = services.BuildServiceProvider();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<FeedDbContext>>().CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
        }

        switch (action)
        {
            case "sync-then-die":
                var report = await provider.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
                Console.WriteLine($"{report.Outcome}: {report.Counts.Created} created");
                if (report.Outcome != SyncOutcome.Succeeded || report.Counts.Created != users)
                {
                    return 1;
                }

                // The batches are committed; the delivery loop never ran. Die as a crash would: no finally, no flush.
                Process.GetCurrentProcess().Kill();
                return 3;
            case "deliver":
                Console.WriteLine($"{await provider.GetRequiredService<IEmployeeChangeDelivery>().DeliverAsync(tenant)} delivered");
                return 0;
            default:
                return 2;
        }
    }

    /// <summary>Appends each event it handles to a file (flushed before it returns), and kills its process on event <c>kill-at</c>.</summary>
    private sealed record HandlerSettings(string Log, string Step, long? KillAt);

    private sealed class AppendingHandler(HandlerSettings settings) : IEmployeeChangeHandler
    {
        public string Name => "welcome-email";

        public ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default)
        {
            File.AppendAllText(settings.Log, $"{settings.Step} {change.Sequence.ToString(CultureInfo.InvariantCulture)} {change.DirectoryId}{Environment.NewLine}");
            if (change.Sequence == settings.KillAt)
            {
                // Mid-handler: the work is done, the acknowledgement is not written.
                Process.GetCurrentProcess().Kill();
            }

            return ValueTask.CompletedTask;
        }
    }
}
