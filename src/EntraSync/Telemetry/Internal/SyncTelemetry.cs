using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace EntraSync.Telemetry.Internal;

/// <summary>
/// EntraSync's activity source and instruments. One per service provider (its meter comes from the host's
/// <see cref="IMeterFactory"/> when there is one, so tests and hosts see only their own measurements).
/// </summary>
internal sealed class SyncTelemetry : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(EntraSyncTelemetry.Name, typeof(SyncTelemetry).Assembly.GetName().Version?.ToString());

    // The run in progress on this async flow, so that code deep in a run (the Graph source's HTTP handler) can record
    // against the right meter and tenant without being handed either.
    private static readonly AsyncLocal<RunScope?> CurrentRun = new();
    private static readonly Lazy<SyncTelemetry> Fallback = new(() => new SyncTelemetry(null, null));

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly IOptionsMonitor<EntraSyncTelemetryOptions>? _options;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _read;
    private readonly Counter<long> _created;
    private readonly Counter<long> _updated;
    private readonly Counter<long> _removed;
    private readonly Counter<long> _staged;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _graphRequests;
    private readonly Counter<long> _graphThrottled;
    private readonly UpDownCounter<long> _active;
    private int _quarantined;

    public SyncTelemetry(IOptionsMonitor<EntraSyncTelemetryOptions>? options, IMeterFactory? meterFactory = null)
    {
        _options = options;
        if (meterFactory is null)
        {
            _meter = new Meter(EntraSyncTelemetry.Name);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(EntraSyncTelemetry.Name);
        }

        _duration = _meter.CreateHistogram<double>("entrasync.sync.duration", "s", "How long sync runs take.");
        _read = _meter.CreateCounter<long>("entrasync.users.read", "{user}", "Users read from the directory.");
        _created = _meter.CreateCounter<long>("entrasync.users.created", "{user}", "Employees created (linked local employees included).");
        _updated = _meter.CreateCounter<long>("entrasync.users.updated", "{user}", "Employees updated or reactivated.");
        _removed = _meter.CreateCounter<long>("entrasync.users.removed", "{user}", "Employees deactivated, deleted or purged.");
        _staged = _meter.CreateCounter<long>("entrasync.users.staged", "{user}", "Removals staged for approval instead of applied.");
        _skipped = _meter.CreateCounter<long>("entrasync.users.skipped", "{user}", "Users skipped (missing mandatory field, duplicate email, invalid record).");
        _failed = _meter.CreateCounter<long>("entrasync.runs.failed", "{run}", "Runs that failed or read the directory incompletely.");
        _graphRequests = _meter.CreateCounter<long>("entrasync.graph.requests", "{request}", "Responses received from Microsoft Graph, retries included.");
        _graphThrottled = _meter.CreateCounter<long>("entrasync.graph.throttled", "{request}", "Microsoft Graph responses that throttled the request.");
        _active = _meter.CreateUpDownCounter<long>("entrasync.runs.active", "{run}", "Runs in progress.");
        _meter.CreateObservableGauge("entrasync.tenants.quarantined", () => Volatile.Read(ref _quarantined), "{tenant}", "Tenants the scheduler holds back after repeated failures for the same reason.");
    }

    private bool IncludeTenant => _options?.CurrentValue.IncludeTenantIdInMetrics == true;

    /// <summary>Sets the number the <c>entrasync.tenants.quarantined</c> gauge reports (the scheduler knows it).</summary>
    public void SetQuarantinedTenants(int count) => Volatile.Write(ref _quarantined, count);

    /// <summary>Starts a run's activity and makes the run current on this async flow until disposed.</summary>
    public RunScope StartRun(string operation, string tenantId, string runId, SyncTrigger trigger, SyncMode? mode, bool dryRun)
    {
        var activity = ActivitySource.StartActivity(operation, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(EntraSyncTelemetryTags.TenantId, tenantId);
            activity.SetTag(EntraSyncTelemetryTags.RunId, runId);
            activity.SetTag(EntraSyncTelemetryTags.Trigger, Name(trigger));
            activity.SetTag(EntraSyncTelemetryTags.DryRun, dryRun);
            if (mode is { } m)
            {
                activity.SetTag(EntraSyncTelemetryTags.Mode, Name(m));
            }
        }

        _active.Add(1);
        var scope = new RunScope(this, tenantId, activity, CurrentRun.Value);
        CurrentRun.Value = scope;
        return scope;
    }

    /// <summary>Records a finished run: duration, user counts, failure.</summary>
    public void RecordRun(SyncReport report, SyncTrigger trigger, Activity? activity)
    {
        var tags = BaseTags(report.TenantId);
        tags.Add(EntraSyncTelemetryTags.Trigger, Name(trigger));
        var counts = report.Counts;
        if (report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded or SyncOutcome.Failed or SyncOutcome.Cancelled)
        {
            var runTags = tags;
            runTags.Add(EntraSyncTelemetryTags.Mode, Name(report.Mode));
            runTags.Add(EntraSyncTelemetryTags.Outcome, Name(report.Outcome));
            runTags.Add(EntraSyncTelemetryTags.DryRun, report.IsDryRun);
            if (report.FailureKind is { } kind)
            {
                runTags.Add(EntraSyncTelemetryTags.ErrorType, kind);
            }

            _duration.Record(Math.Max(0, report.Duration.TotalSeconds), runTags);
        }

        if (report.Outcome is SyncOutcome.Failed or SyncOutcome.PartiallySucceeded)
        {
            var failTags = tags;
            failTags.Add(EntraSyncTelemetryTags.ErrorType, report.FailureKind ?? report.Outcome.ToString());
            _failed.Add(1, failTags);
        }

        if (!report.IsDryRun)
        {
            Add(_read, counts.Read, tags);
            Add(_created, counts.Created + counts.Linked, tags);
            Add(_updated, counts.Updated + counts.Reactivated, tags);
            Add(_staged, counts.Staged, tags);
            Add(_skipped, counts.Skipped, tags);
            AddRemoved(counts.Deactivated, "deactivated", tags);
            AddRemoved(counts.Deleted, "deleted", tags);
            AddRemoved(counts.Purged, "purged", tags);
        }

        if (activity is not null)
        {
            activity.SetTag(EntraSyncTelemetryTags.Mode, Name(report.Mode));
            activity.SetTag(EntraSyncTelemetryTags.Outcome, Name(report.Outcome));
            activity.SetTag("entrasync.users.read", counts.Read);
            activity.SetTag("entrasync.users.changed", counts.Changes);
            if (report.Outcome is SyncOutcome.Failed or SyncOutcome.PartiallySucceeded)
            {
                activity.SetTag(EntraSyncTelemetryTags.ErrorType, report.FailureKind ?? report.Outcome.ToString());
                activity.SetStatus(ActivityStatusCode.Error, report.Errors.Count > 0 ? report.Errors[0] : report.Outcome.ToString());
            }
        }
    }

    public static void RecordGraphRequest(int statusCode, bool throttled)
    {
        var scope = CurrentRun.Value;
        var telemetry = scope?.Telemetry ?? Fallback.Value;
        var tags = telemetry.BaseTags(scope?.TenantId);
        tags.Add(EntraSyncTelemetryTags.HttpStatusCode, statusCode);
        telemetry._graphRequests.Add(1, tags);
        if (throttled)
        {
            telemetry._graphThrottled.Add(1, tags);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal static string Name(SyncTrigger trigger) => trigger switch
    {
        SyncTrigger.Schedule => "schedule",
        SyncTrigger.Approval => "approval",
        SyncTrigger.SingleUser => "single_user",
        SyncTrigger.ChangeNotification => "change_notification",
        _ => "manual",
    };

    private static string Name(SyncMode mode) => mode == SyncMode.Full ? "full" : "incremental";

    private static string Name(SyncOutcome outcome) => outcome switch
    {
        SyncOutcome.Succeeded => "succeeded",
        SyncOutcome.PartiallySucceeded => "partially_succeeded",
        SyncOutcome.Failed => "failed",
        SyncOutcome.Cancelled => "cancelled",
        SyncOutcome.AlreadyRunning => "already_running",
        _ => "disabled",
    };

    private TagList BaseTags(string? tenantId)
    {
        var tags = default(TagList);
        if (tenantId is not null && IncludeTenant)
        {
            tags.Add(EntraSyncTelemetryTags.TenantId, tenantId);
        }

        return tags;
    }

    private static void Add(Counter<long> counter, int value, TagList tags)
    {
        if (value > 0)
        {
            counter.Add(value, tags);
        }
    }

    private void AddRemoved(int value, string action, TagList tags)
    {
        if (value > 0)
        {
            tags.Add(EntraSyncTelemetryTags.RemovalAction, action);
            _removed.Add(value, tags);
        }
    }

    /// <summary>A run in progress: its activity, and the current-run marker restored when disposed.</summary>
    internal sealed class RunScope(SyncTelemetry telemetry, string tenantId, Activity? activity, RunScope? previous) : IDisposable
    {
        public SyncTelemetry Telemetry { get; } = telemetry;

        public string TenantId { get; } = tenantId;

        public Activity? Activity { get; } = activity;

        public void Dispose()
        {
            CurrentRun.Value = previous;
            Telemetry._active.Add(-1);
            Activity?.Dispose();
        }
    }
}
