using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EntraSync.Tests.Operations;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EntraSync.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_run_records_duration_and_user_counts_without_the_tenant_tag_by_default()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant("contoso", users: 5);
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meters, EntraSyncTelemetry.Name, "entrasync.sync.duration");
        using var read = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.users.read");
        using var created = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.users.created");
        using var updated = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.users.updated");
        using var removed = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.users.removed");
        using var failed = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.runs.failed");

        await h.Sync.SyncAsync("contoso");
        h.Directory.Inner.Remove("contoso", ControlledDirectory.UserId(0));
        h.Directory.AddUser("contoso", 1, department: "Marketing");
        await h.Sync.SyncAsync("contoso");

        Assert.Equal(2, duration.GetMeasurementSnapshot().Count);
        var first = duration.GetMeasurementSnapshot()[0];
        Assert.Equal("succeeded", first.Tags[EntraSyncTelemetryTags.Outcome]);
        Assert.Equal("full", first.Tags[EntraSyncTelemetryTags.Mode]);
        Assert.Equal("manual", first.Tags[EntraSyncTelemetryTags.Trigger]);
        Assert.False(first.ContainsTags(EntraSyncTelemetryTags.TenantId));
        Assert.False(first.ContainsTags(EntraSyncTelemetryTags.ErrorType));
        Assert.Equal("incremental", duration.GetMeasurementSnapshot()[1].Tags[EntraSyncTelemetryTags.Mode]);
        Assert.Equal(6, read.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(5, created.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, updated.GetMeasurementSnapshot().EvaluateAsCounter());
        var removal = Assert.Single(removed.GetMeasurementSnapshot());
        Assert.Equal(1, removal.Value);
        Assert.Equal("deactivated", removal.Tags[EntraSyncTelemetryTags.RemovalAction]);
        Assert.Empty(failed.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_failed_run_is_counted_with_its_error_type()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        h.AddTenant("contoso");
        h.Directory.Fail("contoso", () => new DirectoryException("Missing User.Read.All.", DirectoryErrorKind.PermissionMissing) { MissingPermission = "User.Read.All" });
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meters, EntraSyncTelemetry.Name, "entrasync.sync.duration");
        using var failed = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.runs.failed");

        await h.Sync.SyncAsync("contoso");

        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("PermissionMissing", failure.Tags[EntraSyncTelemetryTags.ErrorType]);
        Assert.Equal("failed", duration.LastMeasurement!.Tags[EntraSyncTelemetryTags.Outcome]);
        Assert.Equal("PermissionMissing", duration.LastMeasurement.Tags[EntraSyncTelemetryTags.ErrorType]);
    }

    [Fact]
    public async Task The_tenant_tag_is_on_metrics_only_when_asked_for_and_graph_requests_carry_it()
    {
        await using var h = new OperationsHarness(addScheduler: false, builder: b => b.ConfigureTelemetry(o => o.IncludeTenantIdInMetrics = true));
        h.AddTenant("contoso");
        h.Directory.OnRead = _ =>
        {
            // What the Graph source does for every response it receives.
            EntraSyncTelemetry.RecordGraphRequest(200, throttled: false);
            EntraSyncTelemetry.RecordGraphRequest(429, throttled: true);
        };
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var created = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.users.created");
        using var requests = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.graph.requests");
        using var throttled = new MetricCollector<long>(meters, EntraSyncTelemetry.Name, "entrasync.graph.throttled");

        await h.Sync.SyncAsync("contoso");

        Assert.Equal("contoso", created.LastMeasurement!.Tags[EntraSyncTelemetryTags.TenantId]);
        Assert.Equal(2, requests.GetMeasurementSnapshot().Count);
        Assert.All(requests.GetMeasurementSnapshot(), m => Assert.Equal("contoso", m.Tags[EntraSyncTelemetryTags.TenantId]));
        Assert.Equal([200, 429], requests.GetMeasurementSnapshot().Select(m => (int)m.Tags[EntraSyncTelemetryTags.HttpStatusCode]!));
        var throttle = Assert.Single(throttled.GetMeasurementSnapshot());
        Assert.Equal(429, throttle.Tags[EntraSyncTelemetryTags.HttpStatusCode]);
    }

    [Fact]
    public async Task Each_run_is_an_activity_with_tenant_run_and_outcome_and_failures_set_error_status()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EntraSyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = new OperationsHarness(addScheduler: false);
        var tenant = "activity-" + Guid.NewGuid().ToString("N");
        h.AddTenant(tenant);

        var ok = await h.Sync.SyncAsync(tenant);
        h.Directory.Fail(tenant, () => new DirectoryException("Tenant not found.", DirectoryErrorKind.TenantNotFound));
        var bad = await h.Sync.SyncAsync(tenant);

        var mine = activities.Where(a => (string?)a.GetTagItem(EntraSyncTelemetryTags.TenantId) == tenant).ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, a => Assert.Equal("EntraSync.Sync", a.OperationName));
        Assert.Equal(ok.RunId, mine[0].GetTagItem(EntraSyncTelemetryTags.RunId));
        Assert.Equal("succeeded", mine[0].GetTagItem(EntraSyncTelemetryTags.Outcome));
        Assert.Equal(ActivityStatusCode.Unset, mine[0].Status);
        Assert.Equal(bad.RunId, mine[1].GetTagItem(EntraSyncTelemetryTags.RunId));
        Assert.Equal(ActivityStatusCode.Error, mine[1].Status);
        Assert.Equal("TenantNotFound", mine[1].GetTagItem(EntraSyncTelemetryTags.ErrorType));
    }

    [Fact]
    public async Task Instruments_are_lower_case_dotted_with_units()
    {
        await using var h = new OperationsHarness(addScheduler: false);
        var instruments = new ConcurrentDictionary<string, Instrument>();

        // The listener sees every instrument published in the process, on the thread that publishes it: other tests
        // running in parallel build and dispose their own service providers meanwhile. So the callback only compares
        // with this test's meter factory, taken beforehand, and never resolves a service (which throws in the other
        // test's thread once this test's provider is disposed, and a listener may still be called after its Dispose).
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == EntraSyncTelemetry.Name)
                {
                    instruments[instrument.Name] = instrument;
                }
            },
        };
        listener.Start();
        h.AddTenant("contoso");
        await h.Sync.SyncAsync("contoso");

        string[] expected =
        [
            "entrasync.sync.duration", "entrasync.users.read", "entrasync.users.created", "entrasync.users.updated",
            "entrasync.users.removed", "entrasync.users.staged", "entrasync.users.skipped", "entrasync.runs.failed",
            "entrasync.runs.active", "entrasync.graph.requests", "entrasync.graph.throttled", "entrasync.tenants.quarantined",
        ];
        Assert.Equal(expected.Order(), instruments.Keys.Order());
        Assert.All(instruments.Values, i =>
        {
            Assert.Matches("^[a-z]+(\\.[a-z_]+)+$", i.Name);
            Assert.False(string.IsNullOrEmpty(i.Unit), i.Name + " has a unit");
            Assert.False(string.IsNullOrEmpty(i.Description), i.Name + " has a description");
        });
        Assert.Equal("s", instruments["entrasync.sync.duration"].Unit);
    }
}
