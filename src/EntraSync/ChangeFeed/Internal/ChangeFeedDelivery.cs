using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.ChangeFeed.Internal;

/// <summary>
/// Delivers a tenant's events to each handler from that handler's acknowledgement on, one tenant at a time per
/// process, acknowledging every event as soon as its handler returned. A failing handler stops at the failed event
/// (so order holds) and is retried after a back-off that doubles per failure in a row; other handlers go on.
/// </summary>
internal sealed partial class ChangeFeedDelivery : IEmployeeChangeDelivery
{
    private readonly IEmployeeChangeFeed _feed;
    private readonly IEmployeeChangeHandler[] _handlers;
    private readonly IOptionsMonitor<ChangeFeedOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tenant, string Handler), Retry> _retries = new();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChangeFeedDelivery(
        IEmployeeChangeFeed feed,
        IEnumerable<IEmployeeChangeHandler> handlers,
        IOptionsMonitor<ChangeFeedOptions> options,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
    {
        _feed = feed;
        _handlers = [.. handlers];
        var twice = _handlers.GroupBy(h => h.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException(
                $"Two change handlers share the name '{twice.Key}' ({string.Join(", ", twice.Select(h => h.GetType().Name))}); acknowledgements are kept by name. Give each IEmployeeChangeHandler its own Name.");
        }

        _options = options;
        _time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("EntraSync.ChangeFeed");
    }

    /// <summary>Gets when the earliest failed handler is due for a retry, or <see langword="null"/>.</summary>
    public DateTimeOffset? NextRetryAt => _retries.IsEmpty ? null : _retries.Values.Min(r => r.NotBefore);

    /// <summary>Says the tenant has new events (a batch was committed), waking the delivery loop.</summary>
    public void Notify(string tenantId)
    {
        lock (_pending)
        {
            _pending.Add(tenantId);
            _wake.TrySetResult();
        }
    }

    /// <summary>Takes the tenants notified since the last call.</summary>
    public List<string> TakePending()
    {
        lock (_pending)
        {
            var tenants = _pending.ToList();
            _pending.Clear();
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return tenants;
        }
    }

    /// <summary>The tenants with a failed handler whose back-off has passed.</summary>
    public IEnumerable<string> DueForRetry(DateTimeOffset now) =>
        _retries.Where(r => r.Value.NotBefore <= now).Select(r => r.Key.Tenant).Distinct(StringComparer.Ordinal);

    /// <summary>Waits until a tenant is notified or <paramref name="timeout"/> passes (on the injected clock).</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wake;
        lock (_pending)
        {
            if (_pending.Count > 0)
            {
                return;
            }

            wake = _wake.Task;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, _time, stop.Token);
        await Task.WhenAny(wake, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public Task<int> DeliverAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return DeliverAsync(tenantId, honourBackOff: false, cancellationToken);
    }

    public async Task ReplayAsync(string tenantId, string handlerName, long fromSequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(handlerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSequence, 1);
        if (!_handlers.Any(h => string.Equals(h.Name, handlerName, StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"No change handler is named '{handlerName}'. Registered: {(_handlers.Length == 0 ? "none" : string.Join(", ", _handlers.Select(h => h.Name)))}.", nameof(handlerName));
        }

        var gate = _gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _feed.AcknowledgeAsync(tenantId, handlerName, fromSequence - 1, cancellationToken).ConfigureAwait(false);
            _retries.TryRemove((tenantId, handlerName), out _);
            Log.Replay(_logger, tenantId, handlerName, fromSequence);
        }
        finally
        {
            gate.Release();
        }

        Notify(tenantId);
    }

    /// <summary>Delivers the tenant's events; with <paramref name="honourBackOff"/>, handlers still backing off are left for later.</summary>
    public async Task<int> DeliverAsync(string tenantId, bool honourBackOff, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var options = _options.CurrentValue;
            var delivered = 0;
            var lowest = long.MaxValue;
            foreach (var handler in _handlers)
            {
                var name = handler.Name;
                var acknowledged = await _feed.GetAcknowledgedAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
                if (!honourBackOff || !_retries.TryGetValue((tenantId, name), out var retry) || retry.NotBefore <= _time.GetUtcNow())
                {
                    (acknowledged, var count) = await DeliverToAsync(handler, name, tenantId, acknowledged, options, cancellationToken).ConfigureAwait(false);
                    delivered += count;
                }

                lowest = Math.Min(lowest, acknowledged);
            }

            // Retention: what every handler has acknowledged goes once it is older than the retention period.
            var removed = await _feed.RemoveAsync(tenantId, lowest, _time.GetUtcNow() - options.Retention, cancellationToken).ConfigureAwait(false);
            if (delivered > 0 || removed > 0)
            {
                Log.Delivered(_logger, tenantId, delivered, removed);
            }

            return delivered;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(long Acknowledged, int Delivered)> DeliverToAsync(
        IEmployeeChangeHandler handler, string name, string tenantId, long acknowledged, ChangeFeedOptions options, CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (true)
        {
            var events = await _feed.ReadChangesAsync(tenantId, acknowledged, options.ReadBatchSize, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                _retries.TryRemove((tenantId, name), out _);
                return (acknowledged, delivered);
            }

            foreach (var change in events)
            {
                try
                {
                    await handler.HandleAsync(change, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var failures = _retries.TryGetValue((tenantId, name), out var previous) ? previous.Failures + 1 : 1;
                    var wait = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 30))));
                    _retries[(tenantId, name)] = new Retry(failures, _time.GetUtcNow() + wait);
                    Log.HandlerFailed(_logger, ex, name, tenantId, change.Sequence, failures, wait);
                    return (acknowledged, delivered);
                }

                // Acknowledged one by one: after a crash only the event being handled comes again. Not cancelled
                // by a stopping host: the handler did its work, so its acknowledgement is worth the short write.
                await _feed.AcknowledgeAsync(tenantId, name, change.Sequence, CancellationToken.None).ConfigureAwait(false);
                acknowledged = change.Sequence;
                delivered++;
            }
        }
    }

    private sealed record Retry(int Failures, DateTimeOffset NotBefore);

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Change handler {Handler} failed on event {Sequence} of tenant {TenantId} ({Failures} failure(s) in a row); retrying in {RetryIn}.")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string handler, string tenantId, long sequence, int failures, TimeSpan retryIn);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Debug, Message = "Delivered {Delivered} change event(s) of tenant {TenantId}; removed {Removed} past retention.")]
        public static partial void Delivered(ILogger logger, string tenantId, int delivered, int removed);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Change handler {Handler} of tenant {TenantId} replays from event {Sequence}.")]
        public static partial void Replay(ILogger logger, string tenantId, string handler, long sequence);
    }
}
