using EntraSync.ChangeFeed;
using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using EntraSync.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EntraSync.EntityFrameworkCore.Tests.ChangeFeed;

/// <summary>
/// The change feed's outbox on a real database: written in the batch's transaction, delivered after a restart (a new
/// service provider over the same database), once per handler acknowledgement, in order per tenant.
/// </summary>
public abstract class OutboxTests(TestDatabase database)
{
    protected static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..10];

    [SkippableFact]
    public async Task Events_committed_with_the_changes_are_delivered_after_a_restart_once_per_handler()
    {
        var tenant = NewTenant();
        var directory = Directory(tenant, 30);

        // The process that syncs dies before it delivers anything: its delivery loop never ran.
        await using (var crashed = await BuildAsync<RecordingHandler>(directory, tenant))
        {
            var report = await crashed.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
            Assert.Equal(30, report.Counts.Created);
            Assert.Empty(crashed.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single().Events);
        }

        string runId;
        await using (var restarted = await BuildAsync<RecordingHandler>(directory, tenant))
        {
            var handler = restarted.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single();
            var all = handler.WaitForAsync(tenant, 30);
            var loop = restarted.GetServices<IHostedService>().Single(s => s.GetType().Name == "ChangeFeedDeliveryService");
            await loop.StartAsync(CancellationToken.None);

            // Not a timing assertion: the wait only keeps a broken loop from hanging the test run.
            await all.WaitAsync(TimeSpan.FromMinutes(1));
            await loop.StopAsync(CancellationToken.None);

            // The loop delivers every tenant with events in the database; this test looks at its own.
            var events = handler.Events.Where(e => e.TenantId == tenant).ToList();
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), events.Select(e => e.Sequence));
            Assert.All(events, e => Assert.Equal(EmployeeChangeKind.Create, e.Kind));
            runId = Assert.Single(events.Select(e => e.RunId).Distinct());
            var employees = await EmployeesAsync(tenant);
            Assert.Equal(
                employees.OrderBy(e => e.DirectoryId, StringComparer.Ordinal).Select(e => (e.DirectoryId, (string?)e.Id.ToString())),
                events.OrderBy(e => e.DirectoryId, StringComparer.Ordinal).Select(e => ((string?)e.DirectoryId, e.EmployeeKey)));
            Assert.Equal(0, await restarted.GetRequiredService<IEmployeeChangeDelivery>().DeliverAsync(tenant));
        }

        await using var again = await BuildAsync<RecordingHandler>(directory, tenant);
        Assert.Equal(0, await again.GetRequiredService<IEmployeeChangeDelivery>().DeliverAsync(tenant));
        Assert.Empty(again.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single().Events);
        var runs = await again.GetRequiredService<ISyncStateStore>().GetRunsAsync(tenant, 10);
        Assert.Equal(runId, Assert.Single(runs).RunId);
    }

    [SkippableFact]
    public async Task A_handler_that_dies_mid_delivery_gets_only_the_unacknowledged_events_after_a_restart()
    {
        var tenant = NewTenant();
        var directory = Directory(tenant, 5);
        await using (var first = await BuildAsync<DiesOnThirdHandler>(directory, tenant))
        {
            await first.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
            Assert.Equal(2, await first.GetRequiredService<IEmployeeChangeDelivery>().DeliverAsync(tenant));
        }

        await using var restarted = await BuildAsync<RecordingHandler>(directory, tenant);
        Assert.Equal(3, await restarted.GetRequiredService<IEmployeeChangeDelivery>().DeliverAsync(tenant));
        Assert.Equal([3L, 4, 5], restarted.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single().Events.Select(e => e.Sequence));
    }

    [SkippableFact]
    public async Task A_batch_whose_outbox_write_fails_is_rolled_back_with_its_events()
    {
        var tenant = NewTenant();
        var directory = Directory(tenant, 25);
        var statements = new StatementCounter();
        await using var provider = await BuildAsync<RecordingHandler>(directory, tenant, statements);
        var outboxWrites = 0;

        // Fail the second batch's outbox write (the command that moves the tenant's position and inserts the row), once.
        statements.FailWhen = sql =>
            sql.Contains("INSERT INTO \"EntraSyncChangeEventBatches\"", StringComparison.Ordinal) && ++outboxWrites == 2
                ? new InvalidOperationException("the database went away")
                : null;

        var report = await provider.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal(10, (await EmployeesAsync(tenant)).Count);
        var feed = provider.GetRequiredService<IEmployeeChangeFeed>();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await feed.ReadChangesAsync(tenant, 0, 100)).Select(e => e.Sequence));

        statements.FailWhen = null;
        var repaired = await provider.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
        Assert.Equal(15, repaired.Counts.Created);
        var events = await feed.ReadChangesAsync(tenant, 0, 100);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(25, events.Select(e => e.DirectoryId).Distinct().Count());
    }

    [SkippableFact]
    public async Task A_batch_of_long_events_is_stored_in_rows_small_enough_for_the_small_object_heap_and_reads_back_whole()
    {
        var tenant = NewTenant();
        var title = string.Join(" / ", Enumerable.Repeat("Senior Principal Consultant, Ørsted & \"Partners\"", 100)); // 5,197 characters
        var directory = Directory(tenant, 25, title);
        await using var provider = await BuildAsync<RecordingHandler>(directory, tenant);

        await provider.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });

        // Three batches of at most 10 (WriteBatchSize); a batch's events longer than a row holds go on in the next row.
        await using (var context = new FeedDbContext(database.Options<FeedDbContext>()))
        {
            var rows = await context.Set<ChangeEventBatchEntry>().AsNoTracking().Where(r => r.TenantId == tenant).OrderBy(r => r.FirstSequence).ToListAsync();
            Assert.True(rows.Count > 3, $"{rows.Count} row(s) for 3 batches of long events");
            Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), rows.SelectMany(r => Enumerable.Range((int)r.FirstSequence, (int)(r.LastSequence - r.FirstSequence + 1)).Select(i => (long)i)));
            Assert.All(rows, r => Assert.True(r.Events.Length * sizeof(char) < 85_000, $"a row of {r.Events.Length} characters"));
            Assert.Single(rows.Select(r => r.RunId).Distinct());
        }

        var feed = provider.GetRequiredService<IEmployeeChangeFeed>();
        var events = await feed.ReadChangesAsync(tenant, 0, 100);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(title, e.ChangedFields.Single(f => f.Field == FieldNames.JobTitle).NewValue));
        Assert.Equal(25, events.Select(e => e.DirectoryId).Distinct().Count());

        // From the middle of a row, and a few at a time.
        Assert.Equal([10L, 11, 12], (await feed.ReadChangesAsync(tenant, 9, 3)).Select(e => e.Sequence));
    }

    [SkippableFact]
    public async Task A_rerun_writes_no_event_and_changes_carry_old_and_new_values()
    {
        var tenant = NewTenant();
        var directory = Directory(tenant, 3);
        await using var provider = await BuildAsync<RecordingHandler>(directory, tenant);
        var sync = provider.GetRequiredService<IEntraUserSync>();
        await sync.SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
        await sync.SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
        var feed = provider.GetRequiredService<IEmployeeChangeFeed>();
        Assert.Equal(3, (await feed.ReadChangesAsync(tenant, 0, 100)).Count);

        directory.Upsert(tenant, EngineHarness.UserId(1), User(tenant, 1, "Partner"));
        directory.Remove(tenant, EngineHarness.UserId(2));
        await sync.SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });

        var later = await feed.ReadChangesAsync(tenant, 3, 100);
        Assert.Equal([EmployeeChangeKind.Update, EmployeeChangeKind.Deactivate], later.Select(e => e.Kind).Order());
        var update = later.Single(e => e.Kind == EmployeeChangeKind.Update);
        var field = Assert.Single(update.ChangedFields);
        Assert.Equal((FieldNames.JobTitle, "Consultant", "Partner"), (field.Field, field.OldValue, field.NewValue));
        Assert.Equal("user1@" + tenant + ".example", update.Email);
    }

    [SkippableFact]
    public async Task Events_stay_in_order_per_tenant_when_tenants_sync_at_the_same_time()
    {
        var tenants = Enumerable.Range(0, 3).Select(_ => NewTenant()).ToArray();
        var directory = new InMemoryDirectory { PageSize = 9 };
        foreach (var tenant in tenants)
        {
            for (var i = 0; i < 40; i++)
            {
                directory.Upsert(tenant, EngineHarness.UserId(i), User(tenant, i, "Consultant"));
            }
        }

        await using var provider = await BuildAsync<RecordingHandler>(directory, tenants);
        var sync = provider.GetRequiredService<IEntraUserSync>();
        var delivery = provider.GetRequiredService<IEmployeeChangeDelivery>();
        await Task.WhenAll(tenants.Select(t => Task.Run(async () =>
        {
            Assert.Equal(SyncOutcome.Succeeded, (await sync.SyncAsync(t, new SyncRunOptions { Mode = SyncMode.Full })).Outcome);
            await delivery.DeliverAsync(t);
        })));

        var events = provider.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single().Events;
        foreach (var tenant in tenants)
        {
            var mine = events.Where(e => e.TenantId == tenant).ToList();
            Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), mine.Select(e => e.Sequence));
            Assert.Equal(40, mine.Select(e => e.DirectoryId).Distinct().Count());
        }
    }

    private static InMemoryDirectory Directory(string tenant, int users, string title = "Consultant")
    {
        var directory = new InMemoryDirectory { PageSize = 10 };
        for (var i = 0; i < users; i++)
        {
            directory.Upsert(tenant, EngineHarness.UserId(i), User(tenant, i, title));
        }

        return directory;
    }

    private static Dictionary<string, object?> User(string tenant, int i, string title) => new()
    {
        ["displayName"] = $"User {i}",
        ["givenName"] = "User",
        ["surname"] = $"Number {i}",
        ["mail"] = $"user{i}@{tenant}.example",
        ["jobTitle"] = title,
    };

    private async Task<ServiceProvider> BuildAsync<THandler>(InMemoryDirectory directory, string tenant, StatementCounter? statements = null)
        where THandler : class, IEmployeeChangeHandler =>
        await BuildAsync<THandler>(directory, [tenant], statements);

    private async Task<ServiceProvider> BuildAsync<THandler>(InMemoryDirectory directory, string[] tenants, StatementCounter? statements = null)
        where THandler : class, IEmployeeChangeHandler
    {
        await database.EnsureCreatedAsync<FeedDbContext>(o => new FeedDbContext(o));
        var services = new ServiceCollection();
        services.AddDbContextFactory<FeedDbContext>(o => database.Configure(o, statements ?? new StatementCounter()));
        services.AddEntraUserSync(o =>
            {
                o.WriteBatchSize = 10;
                foreach (var tenant in tenants)
                {
                    o.Tenants.Add(new SyncProfile { TenantId = tenant });
                }
            })
            .AddEntityFrameworkCoreStore<FeedDbContext>()
            .AddEntityFrameworkCoreChangeFeed<FeedDbContext>()
            .AddEmployeeChangeHandler<THandler>();
        services.AddSingleton<IDirectorySource>(directory);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private async Task<List<SyncedEmployee>> EmployeesAsync(string tenant)
    {
        await using var context = new FeedDbContext(database.Options<FeedDbContext>());
        return await context.Employees.AsNoTracking().Where(e => e.TenantId == tenant).ToListAsync();
    }
}

public sealed class SqliteOutboxTests(SqliteDatabase database) : OutboxTests(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresOutboxTests(PostgresDatabase database) : OutboxTests(database), IClassFixture<PostgresDatabase>;

/// <summary>A host context with the ready-made employees, the sync state and the change feed's outbox.</summary>
public sealed class FeedDbContext(DbContextOptions<FeedDbContext> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeFeed();
    }
}

internal sealed class RecordingHandler : IEmployeeChangeHandler
{
    private readonly List<(string Tenant, int Count, TaskCompletionSource Arrived)> _waiters = [];

    public List<EmployeeChangeEvent> Events { get; } = [];

    public string Name => "welcome-email";

    public ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default)
    {
        lock (Events)
        {
            Events.Add(change);
            foreach (var waiter in _waiters.Where(w => Events.Count(e => e.TenantId == w.Tenant) >= w.Count))
            {
                waiter.Arrived.TrySetResult();
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task WaitForAsync(string tenant, int count)
    {
        lock (Events)
        {
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((tenant, count, arrived));
            return arrived.Task;
        }
    }
}

/// <summary>The same handler (same name) in a process that dies while it handles the third event.</summary>
internal sealed class DiesOnThirdHandler : IEmployeeChangeHandler
{
    public string Name => "welcome-email";

    public ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default) =>
        change.Sequence == 3 ? throw new InvalidOperationException("the process died") : ValueTask.CompletedTask;
}
