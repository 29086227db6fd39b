using EntraSync.Telemetry.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.Scheduling.Internal;

/// <summary>
/// Runs every enabled tenant on its schedule: at most <see cref="EntraSyncSchedulerOptions.MaxConcurrentRuns"/> at once,
/// earliest due first, next run times kept in <see cref="ISyncStateStore"/> so a restart neither skips nor doubles a run.
/// </summary>
/// <remarks>
/// The store's <see cref="TenantSyncState"/> is the truth; the scheduler keeps only each tenant's next due time in memory
/// and reads the state again when the tenant falls due, so a manual run (here or in another process) that moved the
/// schedule is respected. Runs go through <see cref="IEntraUserSync"/>, so a tenant never runs twice at once.
/// </remarks>
internal sealed partial class SyncScheduler : BackgroundService, IEntraSyncScheduler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _inflight = [];
    private readonly IScheduledSync _scheduled;
    private readonly ISyncProfileProvider _profiles;
    private readonly IOptionsMonitor<EntraSyncSchedulerOptions> _options;
    private readonly SyncTelemetry _telemetry;
    private readonly TenantStateChanges _changes;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncScheduler> _logger;
    private readonly IDisposable? _profileOptionsSubscription;
    private TaskCompletionSource _wake = NewWake();
    private bool _refreshRequested = true;
    private DateTimeOffset _nextRefreshAt = DateTimeOffset.MinValue;
    private bool _parked;
    private DateTimeOffset _parkedUntil;
    private int _running;

    public SyncScheduler(
        IScheduledSync scheduled,
        ISyncProfileProvider profiles,
        IOptionsMonitor<EntraSyncSchedulerOptions> options,
        IOptionsMonitor<EntraSyncOptions> syncOptions,
        SyncTelemetry telemetry,
        TenantStateChanges changes,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
    {
        _scheduled = scheduled;
        _profiles = profiles;
        _options = options;
        _telemetry = telemetry;
        _changes = changes;
        _time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SyncScheduler>();
        _changes.Changed += OnTenantStateChanged;

        // Profiles configured in options (appsettings) are noticed as soon as the configuration reloads.
        _profileOptionsSubscription = syncOptions.OnChange(_ => NotifyProfilesChanged());
    }

    /// <summary>Gets a value indicating whether the scheduler is waiting with nothing due before its next wake-up (for tests).</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _parked && !_refreshRequested && _running == 0 && _parkedUntil > _time.GetUtcNow();
            }
        }
    }

    /// <summary>Gets a value indicating whether the scheduler has dispatched what is due now and waits (runs may be in progress).</summary>
    internal bool IsWaiting
    {
        get
        {
            lock (_gate)
            {
                return _parked && !_refreshRequested && _parkedUntil > _time.GetUtcNow();
            }
        }
    }

    /// <summary>Gets how many tenants the scheduler is running or looking at now.</summary>
    internal int RunningCount
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Gets the tenants the scheduler knows with their next due time (for tests and diagnostics).</summary>
    internal IReadOnlyDictionary<string, DateTimeOffset> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return _tenants.Values.Where(t => t.Profile.Enabled).ToDictionary(t => t.Id, t => t.Due, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    public void NotifyProfilesChanged()
    {
        lock (_gate)
        {
            _refreshRequested = true;
            SignalLocked();
        }
    }

    public override void Dispose()
    {
        _changes.Changed -= OnTenantStateChanged;
        _profileOptionsSubscription?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.CurrentValue;
        if (!options.Enabled)
        {
            Log.Disabled(_logger);
            return;
        }

        Log.Started(_logger, options.MaxConcurrentRuns, options.PollInterval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task wake;
                bool refresh;
                var now = _time.GetUtcNow();
                lock (_gate)
                {
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = NewWake();
                    }

                    wake = _wake.Task;
                    refresh = _refreshRequested || now >= _nextRefreshAt;
                }

                if (refresh)
                {
                    await RefreshProfilesAsync(now, options, stoppingToken).ConfigureAwait(false);
                }

                var until = Dispatch(now, options, stoppingToken);
                await ParkAsync(wake, now, until, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Task[] pending;
            lock (_gate)
            {
                pending = [.. _inflight];
            }

            // Runs were cancelled with the stopping token; wait for them to end at a batch boundary.
            await Task.WhenAll(pending).ConfigureAwait(false);
            Log.Stopped(_logger);
        }
    }

    private async Task ParkAsync(Task wake, DateTimeOffset now, DateTimeOffset until, CancellationToken stoppingToken)
    {
        var delay = until - now;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        // The timer starts before the loop counts as parked, so it measures from the same instant as 'until'.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, _time, cancel.Token);
        bool park;
        lock (_gate)
        {
            park = !wake.IsCompleted && !_refreshRequested;
            if (park)
            {
                _parked = true;
                _parkedUntil = until;
            }
        }

        if (park)
        {
            await Task.WhenAny(wake, timer).ConfigureAwait(false);
        }

        await cancel.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _parked = false;
        }

        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Starts due tenants, earliest first, up to the cap; returns when to look again.</summary>
    private DateTimeOffset Dispatch(DateTimeOffset now, EntraSyncSchedulerOptions options, CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _inflight.RemoveAll(t => t.IsCompleted);
            foreach (var tenant in _tenants.Values.Where(t => !t.Running && t.Profile.Enabled && t.Due <= now).OrderBy(t => t.Due).ToList())
            {
                if (_running >= options.MaxConcurrentRuns)
                {
                    break;
                }

                tenant.Running = true;
                _running++;
                _inflight.Add(Task.Run(() => RunTenantAsync(tenant, options, stoppingToken), CancellationToken.None));
            }

            var until = now + options.PollInterval;
            if (_nextRefreshAt < until)
            {
                until = _nextRefreshAt;
            }

            foreach (var tenant in _tenants.Values)
            {
                // A due tenant waiting for a free slot is started when a run ends (which wakes the loop), not by the clock.
                if (!tenant.Running && tenant.Profile.Enabled && tenant.Due > now && tenant.Due < until)
                {
                    until = tenant.Due;
                }
            }

            UpdateQuarantineGauge(now);
            return until;
        }
    }

    private async Task RunTenantAsync(Tenant tenant, EntraSyncSchedulerOptions options, CancellationToken stoppingToken)
    {
        var stamp = tenant.Stamp;
        DateTimeOffset? due = null;
        DateTimeOffset? quarantinedUntil = tenant.QuarantinedUntil;
        try
        {
            var result = await _scheduled.RunIfDueAsync(tenant.Profile, stoppingToken).ConfigureAwait(false);
            quarantinedUntil = result.QuarantinedUntil;
            if (result.Report is not { Outcome: SyncOutcome.Cancelled } || !stoppingToken.IsCancellationRequested)
            {
                due = result.NextDueAt;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One tenant's trouble (its store rows, its provider) never stops the others; try it again later.
            Log.TenantFailed(_logger, ex, tenant.Id);
            due = _time.GetUtcNow() + options.PollInterval;
        }
        finally
        {
            lock (_gate)
            {
                tenant.Running = false;
                tenant.QuarantinedUntil = quarantinedUntil;
                if (due is { } d)
                {
                    tenant.Due = d;
                }

                if (!string.Equals(tenant.Stamp, stamp, StringComparison.Ordinal))
                {
                    // The profile changed while the tenant ran: look at it again now.
                    tenant.Due = _time.GetUtcNow();
                }

                if (tenant.Removed)
                {
                    _tenants.Remove(tenant.Id);
                }

                SignalLocked();
                _running--;
            }
        }
    }

    private async Task RefreshProfilesAsync(DateTimeOffset now, EntraSyncSchedulerOptions options, CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _refreshRequested = false;
            _nextRefreshAt = now + options.ProfileRefreshInterval;
        }

        var profiles = new List<SyncProfile>();
        var complete = false;
        try
        {
            await foreach (var profile in _profiles.GetProfilesAsync(stoppingToken).ConfigureAwait(false))
            {
                profiles.Add(profile);
            }

            complete = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Keep scheduling the tenants known so far; a provider outage must not stop everyone.
            Log.ProfilesFailed(_logger, ex, profiles.Count);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var profile in profiles)
            {
                if (profile is null || string.IsNullOrWhiteSpace(profile.TenantId))
                {
                    Log.ProfileWithoutTenant(_logger);
                    continue;
                }

                if (!seen.Add(profile.TenantId))
                {
                    Log.DuplicateProfile(_logger, profile.TenantId);
                    continue;
                }

                var stamp = TenantSchedule.Stamp(profile);
                if (!_tenants.TryGetValue(profile.TenantId, out var tenant))
                {
                    _tenants[profile.TenantId] = new Tenant { Id = profile.TenantId, Profile = profile, Stamp = stamp, Due = now };
                    continue;
                }

                tenant.Profile = profile;
                tenant.Removed = false;

                // A manual run in another process (a web front end beside a worker) may have lifted the quarantine:
                // look at the state of quarantined tenants again at each refresh instead of waiting out the back-off.
                var recheck = tenant.QuarantinedUntil > now && !tenant.Running;
                if (recheck || !string.Equals(tenant.Stamp, stamp, StringComparison.Ordinal))
                {
                    tenant.Stamp = stamp;
                    if (tenant.Due > now)
                    {
                        tenant.Due = now;
                    }
                }
            }

            if (complete)
            {
                foreach (var tenant in _tenants.Values.Where(t => !seen.Contains(t.Id)).ToList())
                {
                    if (tenant.Running)
                    {
                        tenant.Removed = true;
                    }
                    else
                    {
                        _tenants.Remove(tenant.Id);
                    }
                }
            }
        }

        Log.ProfilesRead(_logger, seen.Count);
    }

    private void OnTenantStateChanged(string tenantId)
    {
        lock (_gate)
        {
            if (_tenants.TryGetValue(tenantId, out var tenant) && !tenant.Running)
            {
                var now = _time.GetUtcNow();
                if (tenant.Due > now)
                {
                    tenant.Due = now;
                }

                SignalLocked();
            }
        }
    }

    private void SignalLocked()
    {
        _parked = false;
        _wake.TrySetResult();
    }

    private void UpdateQuarantineGauge(DateTimeOffset now) =>
        _telemetry.SetQuarantinedTenants(_tenants.Values.Count(t => t.QuarantinedUntil > now));

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Tenant
    {
        public required string Id { get; init; }

        public required SyncProfile Profile { get; set; }

        public required string Stamp { get; set; }

        public DateTimeOffset Due { get; set; }

        public bool Running { get; set; }

        public bool Removed { get; set; }

        public DateTimeOffset? QuarantinedUntil { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "EntraSync scheduler started: at most {MaxConcurrentRuns} tenants at once, checking at least every {PollInterval}")]
        public static partial void Started(ILogger logger, int maxConcurrentRuns, TimeSpan pollInterval);

        [LoggerMessage(102, LogLevel.Information, "EntraSync scheduler is disabled (EntraSync:Scheduler:Enabled is false); runs happen only when triggered")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(103, LogLevel.Information, "EntraSync scheduler stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(106, LogLevel.Error, "Scheduling tenant {TenantId} failed; it is tried again at the next check")]
        public static partial void TenantFailed(ILogger logger, Exception exception, string tenantId);

        [LoggerMessage(107, LogLevel.Error, "Reading sync profiles failed after {Count} profiles; tenants already known keep their schedule")]
        public static partial void ProfilesFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(108, LogLevel.Warning, "A sync profile has no TenantId and is not scheduled; set TenantId in it")]
        public static partial void ProfileWithoutTenant(ILogger logger);

        [LoggerMessage(109, LogLevel.Warning, "Tenant {TenantId} has more than one sync profile; only the first is scheduled")]
        public static partial void DuplicateProfile(ILogger logger, string tenantId);

        [LoggerMessage(110, LogLevel.Debug, "Sync profiles read: {Count} tenants")]
        public static partial void ProfilesRead(ILogger logger, int count);
    }
}
