using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EntraSync.ChangeNotifications;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EntraSync.AspNetCore.ChangeNotifications.Internal;

/// <summary>
/// Receives Graph's posts (answering at once) and handles them on one background worker: checks each notification
/// against its stored subscription, hands change hints to the <see cref="TenantRunDebouncer"/> and lifecycle events
/// to the <see cref="ChangeSubscriptionManager"/>.
/// </summary>
internal sealed partial class NotificationProcessor : IAsyncDisposable
{
    /// <summary>Graph batches notifications; a body larger than this is not Graph's.</summary>
    internal const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The longest a notification for a not-yet-stored subscription waits for creations in progress.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(15);

    private readonly IChangeSubscriptionStore _store;
    private readonly ChangeSubscriptionManager _manager;
    private readonly ISyncProfileProvider _profiles;
    private readonly IOptionsMonitor<ChangeNotificationOptions> _options;
    private readonly TenantRunDebouncer _debouncer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Counter<long> _received;
    private readonly Channel<Received> _queue = Channel.CreateBounded<Received>(new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public NotificationProcessor(
        IChangeSubscriptionStore store,
        ChangeSubscriptionManager manager,
        ISyncProfileProvider profiles,
        IEntraUserSync sync,
        IOptionsMonitor<ChangeNotificationOptions> options,
        TimeProvider time,
        IMeterFactory? meters = null,
        ILogger<NotificationProcessor>? logger = null)
    {
        _store = store;
        _manager = manager;
        _profiles = profiles;
        _options = options;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _debouncer = new TenantRunDebouncer(sync, time, () => _options.CurrentValue.Debounce, _logger);
        var meter = meters?.Create("EntraSync") ?? new Meter("EntraSync");
        _received = meter.CreateCounter<long>("entrasync.notifications.received", "{notification}", "Change and lifecycle notifications received from Microsoft Graph, by outcome.");
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>Gets the debouncer (tests read its run count).</summary>
    internal TenantRunDebouncer Debouncer => _debouncer;

    public async Task ReceiveAsync(HttpContext context, bool lifecycle)
    {
        var request = context.Request;
        if (request.Query.TryGetValue("validationToken", out var token))
        {
            // Graph's handshake: echo the token as text/plain within 10 seconds.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(token.ToString(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        List<Received> items;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            items = Parse(doc.RootElement, lifecycle);
        }
        catch (JsonException)
        {
            _received.Add(1, new KeyValuePair<string, object?>("outcome", "malformed"));
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        foreach (var item in items)
        {
            if (!_queue.Writer.TryWrite(item))
            {
                // Full: Graph retries a notification that was not accepted.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "10";
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _debouncer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    internal static List<Received> Parse(JsonElement root, bool lifecycle)
    {
        var items = new List<Received>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("not a notification collection");
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? Text(string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            items.Add(new Received(Text("subscriptionId"), Text("clientState"), Text("tenantId"), lifecycle ? Text("lifecycleEvent") ?? "" : null));
        }

        return items;
    }

    /// <summary>Compares client states in constant time for equal lengths (every EntraSync client state has the same length).</summary>
    internal static bool SameClientState(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    await HandleAsync(item, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // One bad notification (or a store or Graph failure) must not stop the worker.
                    Log.HandlingFailed(_logger, item.SubscriptionId, ex);
                }
            }
        }
    }

    private async Task HandleAsync(Received item, CancellationToken cancellationToken)
    {
        var subscription = item.SubscriptionId is { Length: > 0 } id ? await _store.FindAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (subscription is null && item.SubscriptionId is { Length: > 0 } pending)
        {
            // Graph can notify as soon as it has created a subscription, before this app stored its id: wait for the
            // creations in progress to end (at most SettleWait, so a slow Graph call cannot stall the queue) and look
            // again, rather than drop the first change.
            using (var limit = new CancellationTokenSource(SettleWait, _time))
            using (var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token))
            {
                try
                {
                    await _manager.WhenSettledAsync(settle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Looked up once more below; still unknown means dropped.
                }
            }

            subscription = await _store.FindAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        if (subscription is null)
        {
            Count("unknown_subscription");
            return;
        }

        if (!SameClientState(subscription.ClientState, item.ClientState))
        {
            Count("forged");
            Log.Forged(_logger, subscription.TenantId, subscription.SubscriptionId);
            return;
        }

        // Graph's tenantId is the Entra directory's id: the profile's Connection:TenantId, which differs from EntraSync's
        // tenant key when the host keys tenants by its own account ids.
        var profile = await _profiles.GetProfileAsync(subscription.TenantId, cancellationToken).ConfigureAwait(false);
        if (item.TenantId is { } tenant
            && !string.Equals(tenant, subscription.TenantId, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(tenant, profile?.Connection.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            Count("forged");
            Log.Forged(_logger, subscription.TenantId, subscription.SubscriptionId);
            return;
        }

        if (!_options.CurrentValue.AppliesTo(profile))
        {
            Count("tenant_off");
            return;
        }

        switch (item.LifecycleEvent)
        {
            case null:
                Count("accepted");
                _debouncer.Trigger(subscription.TenantId);
                break;
            case "reauthorizationRequired":
                Count("reauthorization_required");
                await _manager.RenewAsync(subscription.TenantId, cancellationToken).ConfigureAwait(false);
                break;
            case "subscriptionRemoved":
                Count("subscription_removed");
                await _manager.RecreateAsync(subscription.TenantId, cancellationToken).ConfigureAwait(false);
                _debouncer.Trigger(subscription.TenantId);
                break;
            default:
                // "missed" and events Graph adds later: changes may have been lost, so read what changed.
                Count("lifecycle_other");
                _debouncer.Trigger(subscription.TenantId);
                break;
        }
    }

    private void Count(string outcome) => _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal readonly record struct Received(string? SubscriptionId, string? ClientState, string? TenantId, string? LifecycleEvent);

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Tenant {TenantId}: a notification for subscription {SubscriptionId} carried a wrong client state; dropped (not from Microsoft Graph)")]
        public static partial void Forged(ILogger logger, string tenantId, string subscriptionId);

        [LoggerMessage(EventId = 8102, Level = LogLevel.Error, Message = "Handling a change notification for subscription {SubscriptionId} failed")]
        public static partial void HandlingFailed(ILogger logger, string? subscriptionId, Exception exception);
    }
}
