using Microsoft.Extensions.Logging;

namespace EntraSync.Sync.Running;

/// <summary>
/// A tenant's run lease while a run (or an approval) holds it: renewed by a heartbeat every third of its duration,
/// on the run's <see cref="TimeProvider"/>. When the lease is lost (another run took it over, or renewals kept failing
/// until it could have expired), <see cref="Lost"/> is cancelled so the run stops writing; the store's fencing refuses
/// whatever write was already on its way.
/// </summary>
internal sealed partial class TenantLease : IAsyncDisposable
{
    private readonly ISyncStateStore _state;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private RunLease _lease;

    private TenantLease(ISyncStateStore state, RunLease lease, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _state = state;
        _lease = lease;
        _duration = duration;
        _time = time;
        _logger = logger;
        _heartbeat = HeartbeatAsync();
    }

    /// <summary>Gets the lease generation every write of the run carries.</summary>
    public long Generation => _lease.Generation;

    /// <summary>Gets a token cancelled when the lease is lost.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Gets why the lease was lost, or <see langword="null"/> while it is held.</summary>
    public string? LostReason { get; private set; }

    /// <summary>Takes the tenant's lease, or returns who holds it.</summary>
    public static async Task<(TenantLease? Lease, RunLeaseAttempt Attempt)> TryAcquireAsync(
        ISyncStateStore state, string tenantId, string owner, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var attempt = await state.TryAcquireLeaseAsync(tenantId, owner, duration, cancellationToken).ConfigureAwait(false);
        return attempt.Lease is { } lease ? (new TenantLease(state, lease, duration, time, logger), attempt) : (null, attempt);
    }

    /// <summary>Says how long to wait for a lease another run holds, for messages.</summary>
    public static string WaitHint(RunLeaseAttempt attempt) =>
        attempt.ExpiresIn is { } wait
            ? $"If that run is still going it renews its lease; if its process stopped, the lease expires within {Describe(wait)}: try again in {Describe(wait + TimeSpan.FromSeconds(1))}."
            : "Try again when it has finished.";

    private static string Describe(TimeSpan wait) =>
        wait <= TimeSpan.FromMinutes(10) ? $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s" : $"{(int)Math.Ceiling(wait.TotalMinutes)} min";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        if (LostReason is null)
        {
            try
            {
                await _state.ReleaseLeaseAsync(_lease, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lease then expires by itself within its duration.
                Log.ReleaseFailed(_logger, ex, _lease.TenantId, _lease.Owner);
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task HeartbeatAsync()
    {
        var interval = _duration / 3;
        var renewedAt = _time.GetTimestamp();
        while (true)
        {
            try
            {
                await Task.Delay(interval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var asked = _time.GetTimestamp();
            try
            {
                var renewed = await _state.RenewLeaseAsync(_lease, _duration, _stop.Token).ConfigureAwait(false);
                if (renewed is null)
                {
                    await LoseAsync("another run took over the tenant's run lease (this run's lease had expired)").ConfigureAwait(false);
                    return;
                }

                _lease = renewed;
                renewedAt = asked;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var since = _time.GetElapsedTime(renewedAt);
                Log.RenewFailed(_logger, ex, _lease.TenantId, _lease.Owner, since);
                if (since + interval >= _duration)
                {
                    // The next attempt would come after the lease could have expired: stop before another run may start.
                    await LoseAsync($"its run lease could not be renewed for {since.TotalSeconds:0} s ({ex.Message})").ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private async Task LoseAsync(string reason)
    {
        LostReason = reason;
        Log.LeaseLost(_logger, _lease.TenantId, _lease.Owner, _lease.Generation, reason);
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "The run lease of tenant {TenantId} (run {RunId}) could not be renewed after {Since}; trying again")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string tenantId, string runId, TimeSpan since);

        [LoggerMessage(21, LogLevel.Error, "Run {RunId} of tenant {TenantId} lost its run lease (generation {Generation}) and stops writing: {Reason}")]
        public static partial void LeaseLost(ILogger logger, string tenantId, string runId, long generation, string reason);

        [LoggerMessage(22, LogLevel.Warning, "The run lease of tenant {TenantId} (run {RunId}) could not be released; it expires by itself")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception, string tenantId, string runId);
    }
}
