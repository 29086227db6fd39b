using EntraSync.ChangeFeed;
using EntraSync.Testing;
using EntraSync.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Tests.ChangeFeed;

/// <summary>The change feed with the in-memory store (the in-memory feed): what becomes an event, delivery, retries, replay, retention.</summary>
public sealed class ChangeFeedTests
{
    private static SyncHarness Harness(Action<ChangeFeedOptions>? configure = null) =>
        new(services: s => new TestBuilder(s).AddChangeFeed(configure).AddEmployeeChangeHandler<RecordingHandler>().AddEmployeeChangeHandler<FlakyHandler>());

    private static RecordingHandler Recorded(SyncHarness h) => h.Services.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single();

    private static FlakyHandler Flaky(SyncHarness h) => h.Services.GetServices<IEmployeeChangeHandler>().OfType<FlakyHandler>().Single();

    private static IEmployeeChangeDelivery Delivery(SyncHarness h) => h.Services.GetRequiredService<IEmployeeChangeDelivery>();

    [Fact]
    public async Task Every_applied_change_becomes_one_event_numbered_in_order_with_its_run()
    {
        await using var h = Harness(o => o.Retention = TimeSpan.FromDays(365));
        var ada = h.AddUser("Ada", "Lovelace");
        var alan = h.AddUser("Alan", "Turing");
        var first = await h.RunAsync(SyncMode.Full);
        h.Change(ada, "jobTitle", "Countess");
        var second = await h.RunAsync(SyncMode.Full);
        h.Directory.Remove(SyncHarness.Tenant, alan);
        var third = await h.RunAsync(SyncMode.Full);

        await Delivery(h).DeliverAsync(SyncHarness.Tenant);

        var events = Recorded(h).Events;
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(SyncHarness.Tenant, e.TenantId));
        Assert.Equal([EmployeeChangeKind.Create, EmployeeChangeKind.Create, EmployeeChangeKind.Update, EmployeeChangeKind.Deactivate], events.Select(e => e.Kind));
        Assert.Equal([first.RunId, first.RunId, second.RunId, third.RunId], events.Select(e => e.RunId));

        var created = events[0];
        Assert.Equal(ada, created.DirectoryId);
        Assert.Equal("ada.lovelace@contoso.com", created.Email);
        Assert.Contains(created.ChangedFields, f => f.Field == FieldNames.FirstName && f.OldValue is null && f.NewValue == "Ada");

        var updated = Assert.Single(events[2].ChangedFields);
        Assert.Equal((FieldNames.JobTitle, "Consultant", "Countess"), (updated.Field, updated.OldValue, updated.NewValue));
        Assert.Equal(h.Store.FindByDirectoryId(SyncHarness.Tenant, ada)!.Key, events[2].EmployeeKey);

        Assert.Equal(alan, events[3].DirectoryId);
        Assert.Empty(events[3].ChangedFields);
    }

    [Fact]
    public async Task A_rerun_over_an_unchanged_directory_and_a_dry_run_make_no_events()
    {
        await using var h = Harness();
        h.AddUser("Ada", "Lovelace");
        await h.RunAsync(SyncMode.Full);
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);
        Assert.Single(Recorded(h).Events);

        var rerun = await h.RunAsync(SyncMode.Full);
        Assert.Equal(1, rerun.Counts.Unchanged);
        h.AddUser("Alan", "Turing");
        var dryRun = await h.RunAsync(SyncMode.Full, dryRun: true);
        Assert.Equal(1, dryRun.Counts.Created);

        Assert.Equal(0, await Delivery(h).DeliverAsync(SyncHarness.Tenant));
        Assert.Single(Recorded(h).Events);
        var feed = h.Services.GetRequiredService<IEmployeeChangeFeed>();
        Assert.Single(await feed.ReadChangesAsync(SyncHarness.Tenant, 0, 100));
    }

    [Fact]
    public async Task A_failing_handler_is_retried_from_the_failed_event_without_a_new_sync_and_others_go_on()
    {
        await using var h = Harness();
        for (var i = 0; i < 3; i++)
        {
            h.AddUser("User", $"Number{i}");
        }

        await h.RunAsync(SyncMode.Full);
        Flaky(h).FailOn = 2;

        await Delivery(h).DeliverAsync(SyncHarness.Tenant);

        Assert.Equal([1L, 2, 3], Recorded(h).Events.Select(e => e.Sequence));
        Assert.Equal([1L], Flaky(h).Handled);
        var feed = h.Services.GetRequiredService<IEmployeeChangeFeed>();
        Assert.Equal(1, await feed.GetAcknowledgedAsync(SyncHarness.Tenant, Flaky(h).Name));

        Flaky(h).FailOn = null;
        var runs = (await h.State.GetRunsAsync(SyncHarness.Tenant, 10)).Count;
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);

        Assert.Equal([1L, 2, 3], Flaky(h).Handled);
        Assert.Equal([1L, 2, 3], Recorded(h).Events.Select(e => e.Sequence));
        Assert.Equal(runs, (await h.State.GetRunsAsync(SyncHarness.Tenant, 10)).Count);
    }

    [Fact]
    public async Task Replay_hands_out_the_retained_events_again_from_the_sequence_asked_for()
    {
        await using var h = Harness();
        for (var i = 0; i < 4; i++)
        {
            h.AddUser("User", $"Number{i}");
        }

        await h.RunAsync(SyncMode.Full);
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);

        await Delivery(h).ReplayAsync(SyncHarness.Tenant, Recorded(h).Name, fromSequence: 3);
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);

        Assert.Equal([1L, 2, 3, 4, 3, 4], Recorded(h).Events.Select(e => e.Sequence));
        Assert.Equal([1L, 2, 3, 4], Flaky(h).Handled);
        await Assert.ThrowsAsync<ArgumentException>(() => Delivery(h).ReplayAsync(SyncHarness.Tenant, "NoSuchHandler", 1));
    }

    [Fact]
    public async Task Delivered_events_are_removed_after_the_retention_period_and_undelivered_ones_are_kept()
    {
        await using var h = Harness(o => o.Retention = TimeSpan.FromDays(7));
        h.AddUser("Ada", "Lovelace");
        h.AddUser("Alan", "Turing");
        await h.RunAsync(SyncMode.Full);
        Flaky(h).FailOn = 2;
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);
        var feed = h.Services.GetRequiredService<IEmployeeChangeFeed>();

        h.Time.Advance(TimeSpan.FromDays(6));
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);
        Assert.Equal(2, (await feed.ReadChangesAsync(SyncHarness.Tenant, 0, 100)).Count);

        h.Time.Advance(TimeSpan.FromDays(2));
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);
        Assert.Equal([2L], (await feed.ReadChangesAsync(SyncHarness.Tenant, 0, 100)).Select(e => e.Sequence));

        Flaky(h).FailOn = null;
        await Delivery(h).DeliverAsync(SyncHarness.Tenant);
        Assert.Empty(await feed.ReadChangesAsync(SyncHarness.Tenant, 0, 100));
    }

    [Fact]
    public async Task Events_stay_in_order_per_tenant_when_tenants_sync_at_the_same_time()
    {
        var tenants = Enumerable.Range(0, 4).Select(i => $"tenant-{i}").ToList();
        var directory = new InMemoryDirectory { PageSize = 7 };
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)));
        services.AddEntraUserSync(o =>
            {
                o.WriteBatchSize = 5;
                foreach (var tenant in tenants)
                {
                    o.Tenants.Add(new SyncProfile { TenantId = tenant });
                }
            })
            .AddInMemoryStores()
            .AddEmployeeChangeHandler<RecordingHandler>();
        services.AddSingleton<IDirectorySource>(directory);
        await using var provider = services.BuildServiceProvider();
        foreach (var tenant in tenants)
        {
            for (var i = 0; i < 60; i++)
            {
                directory.Upsert(tenant, $"00000000-0000-0000-0000-{i:D12}", new Dictionary<string, object?> { ["givenName"] = "U", ["surname"] = $"N{i}", ["mail"] = $"u{i}@{tenant}.example" });
            }
        }

        var sync = provider.GetRequiredService<IEntraUserSync>();
        var delivery = provider.GetRequiredService<IEmployeeChangeDelivery>();
        await Task.WhenAll(tenants.Select(t => Task.Run(async () =>
        {
            await sync.SyncAsync(t, new SyncRunOptions { Mode = SyncMode.Full });
            await delivery.DeliverAsync(t);
        })));

        var events = provider.GetServices<IEmployeeChangeHandler>().OfType<RecordingHandler>().Single().Events;
        foreach (var tenant in tenants)
        {
            var mine = events.Where(e => e.TenantId == tenant).ToList();
            Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), mine.Select(e => e.Sequence));
            Assert.Equal(60, mine.Select(e => e.DirectoryId).Distinct().Count());
        }
    }

    [Fact]
    public async Task The_hosted_delivery_loop_delivers_as_soon_as_a_run_committed()
    {
        await using var h = Harness();
        var hosted = h.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "ChangeFeedDeliveryService");
        await hosted.StartAsync(CancellationToken.None);
        try
        {
            h.AddUser("Ada", "Lovelace");
            var arrived = Recorded(h).WaitForAsync(1);
            await h.RunAsync(SyncMode.Full);

            // Not a timing assertion: the wait only keeps a broken loop from hanging the test run.
            var first = await arrived.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(EmployeeChangeKind.Create, first.Kind);
        }
        finally
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Bad_change_feed_options_fail_at_start_up_naming_the_option()
    {
        var services = new ServiceCollection();
        new TestBuilder(services).AddChangeFeed(o => o.ReadBatchSize = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChangeFeedOptions>>().Value);
        Assert.Contains("EntraSync:ChangeFeed:ReadBatchSize", error.Message, StringComparison.Ordinal);
    }

    private sealed class TestBuilder(IServiceCollection services) : IEntraSyncBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

internal sealed class RecordingHandler : IEmployeeChangeHandler
{
    private readonly List<(int Count, TaskCompletionSource<EmployeeChangeEvent> Arrived)> _waiters = [];

    public List<EmployeeChangeEvent> Events { get; } = [];

    public string Name => "recording";

    public ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default)
    {
        lock (Events)
        {
            Events.Add(change);
            foreach (var waiter in _waiters.Where(w => Events.Count >= w.Count))
            {
                waiter.Arrived.TrySetResult(Events[waiter.Count - 1]);
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task<EmployeeChangeEvent> WaitForAsync(int count)
    {
        lock (Events)
        {
            var arrived = new TaskCompletionSource<EmployeeChangeEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, arrived));
            return arrived.Task;
        }
    }
}

internal sealed class FlakyHandler : IEmployeeChangeHandler
{
    public long? FailOn { get; set; }

    public List<long> Handled { get; } = [];

    public string Name => "flaky";

    public ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default)
    {
        if (change.Sequence == FailOn)
        {
            throw new InvalidOperationException("the mail server is down");
        }

        Handled.Add(change.Sequence);
        return ValueTask.CompletedTask;
    }
}
