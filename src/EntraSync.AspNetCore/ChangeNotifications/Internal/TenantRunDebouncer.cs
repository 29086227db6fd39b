using Microsoft.Extensions.Logging;

namespace EntraSync.AspNetCore.ChangeNotifications.Internal;

/// <summary>
/// Turns change hints into few incremental runs: the first hint for a tenant starts a timer (the debounce); hints
/// that arrive before it fires join it; hints that arrive while the run is going (or while another run holds the
/// tenant) make one more run afterwards, so no change is left unread. A burst of 1,000 hints is one or two runs.
/// </summary>
internal sealed partial class TenantRunDebouncer(IEntraUserSync sync, TimeProvider time, Func<TimeSpan> debounce, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<string, TenantState> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private long _runs;

    /// <summary>Gets how many runs were started.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    public void Trigger(string tenantId)
    {
        lock (_tenants)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!_tenants.TryGetValue(tenantId, out var state))
            {
                _tenants[tenantId] = state = new TenantState();
            }

            if (state.Running)
            {
                state.Again = true;
            }
            else if (state.Timer is null)
            {
                Arm(tenantId, state);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_tenants)
        {
            _stop.Cancel();
            foreach (var state in _tenants.Values)
            {
                state.Timer?.Dispose();
                state.Timer = null;
            }

            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void Arm(string tenantId, TenantState state) =>
        state.Timer = time.CreateTimer(_ => Fire(tenantId), null, debounce(), Timeout.InfiniteTimeSpan);

    private void Fire(string tenantId)
    {
        TenantState state;
        lock (_tenants)
        {
            if (_stop.IsCancellationRequested || !_tenants.TryGetValue(tenantId, out state!))
            {
                return;
            }

            state.Timer?.Dispose();
            state.Timer = null;
            state.Running = true;
            state.Again = false;
            var task = RunAsync(tenantId, state);
            _running.Add(task);
            _ = task.ContinueWith(t => { lock (_tenants) { _running.Remove(t); } }, TaskScheduler.Default);
        }
    }

    private async Task RunAsync(string tenantId, TenantState state)
    {
        await Task.Yield();
        var again = false;
        try
        {
            Interlocked.Increment(ref _runs);
            var report = await sync.SyncAsync(tenantId, new SyncRunOptions { Mode = SyncMode.Incremental, Trigger = SyncTrigger.ChangeNotification }, _stop.Token).ConfigureAwait(false);

            // Another run held the tenant: it may have read before the change, so read again after it.
            again = report.Outcome == SyncOutcome.AlreadyRunning;
            Log.Ran(logger, tenantId, report.Outcome.ToString());
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Log.RunFailed(logger, tenantId, ex);
        }
        finally
        {
            lock (_tenants)
            {
                state.Running = false;
                if ((again || state.Again) && !_stop.IsCancellationRequested)
                {
                    state.Again = false;
                    Arm(tenantId, state);
                }
            }
        }
    }

    private sealed class TenantState
    {
        public ITimer? Timer { get; set; }

        public bool Running { get; set; }

        public bool Again { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8111, Level = LogLevel.Information, Message = "Tenant {TenantId}: incremental run triggered by change notifications ended: {Outcome}")]
        public static partial void Ran(ILogger logger, string tenantId, string outcome);

        [LoggerMessage(EventId = 8112, Level = LogLevel.Error, Message = "Tenant {TenantId}: incremental run triggered by change notifications failed")]
        public static partial void RunFailed(ILogger logger, string tenantId, Exception exception);
    }
}
