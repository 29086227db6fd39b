using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using EntraSync.Testing.Emulator.Internal;

namespace EntraSync.Testing.Emulator;

/// <summary>
/// The emulator's change-notification subscriptions on <c>/users</c>. Creating one sends Graph's validation request to
/// the notification URL (and the lifecycle URL) and fails unless each echoes the <c>validationToken</c> as
/// <c>text/plain</c> within <see cref="ValidationTimeout"/>. Each user created, changed or deleted through the
/// emulator's API (library or Graph writes) is then POSTed to every live subscription of its tenant, in Graph's
/// <c>changeNotificationCollection</c> shape, several changes per POST when they queue up. A subscription past its
/// expiration is gone: no notifications, and PATCH or DELETE answer 404.
/// </summary>
/// <remarks>
/// Delivery follows Graph's rules: a 2xx answer delivers; any other answer within <see cref="DeliveryTimeout"/>, or no
/// connection at all (the host is down for a deploy), is retried with exponential back-off from
/// <see cref="DeliveryRetryDelay"/> for up to <see cref="DeliveryRetryWindow"/>; no answer within
/// <see cref="DeliveryTimeout"/> drops the notification, as Graph drops notifications to endpoints that do not answer
/// in time. Back-off waits on the emulator's <see cref="GraphEmulatorOptions.TimeProvider"/>.
/// </remarks>
public sealed class EmulatedSubscriptions : IAsyncDisposable
{
    /// <summary>The longest Graph lets a subscription on users last: 41,760 minutes.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(41_760);

    /// <summary>The status <see cref="PostAsync"/> gives when the endpoint did not answer in time.</summary>
    private const int TimedOut = -1;

    private readonly GraphEmulator _emulator;
    private readonly ConcurrentDictionary<string, EmulatedSubscription> _items = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _watched = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<Pending> _outbox = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private long _delivered;
    private long _failed;
    private long _posts;
    private long _dropped;

    internal EmulatedSubscriptions(GraphEmulator emulator)
    {
        _emulator = emulator;
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Gets or sets how long the validation request may take before creation fails.</summary>
    /// <value>The default is 10 seconds, as Graph.</value>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a notification POST may take before it counts as failed.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long the first retry of a failed notification waits; each further retry waits twice as long, at most an hour.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a failed notification is retried before it is dropped.</summary>
    /// <value>The default is 4 hours, as Graph.</value>
    public TimeSpan DeliveryRetryWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Gets how many change notifications a notification URL accepted (2xx).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Gets how many change notification deliveries failed: a non-2xx answer, a timeout or no connection (each attempt counts).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Gets how many change notifications were given up: the endpoint did not answer within
    /// <see cref="DeliveryTimeout"/>, or kept failing for <see cref="DeliveryRetryWindow"/>.
    /// </summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many notification POSTs were sent (each carries one or more notifications).</summary>
    public long Posts => Interlocked.Read(ref _posts);

    /// <summary>Gets copies of the live subscriptions (not expired).</summary>
    /// <returns>The subscriptions.</returns>
    public IReadOnlyList<EmulatedSubscription> GetAll()
    {
        var now = _emulator.TimeProvider.GetUtcNow();
        return [.. _items.Values.Where(s => s.ExpirationDateTime > now).Select(s => s.Copy())];
    }

    /// <summary>Ends a subscription now, as Graph does when it expires.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <returns><see langword="true"/> when it was live.</returns>
    public bool Expire(string subscriptionId)
    {
        if (Find(subscriptionId) is not { } live)
        {
            return false;
        }

        live.ExpirationDateTime = _emulator.TimeProvider.GetUtcNow();
        return true;
    }

    /// <summary>Removes a subscription without telling anyone (Graph removed it).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    public bool Remove(string subscriptionId) => _items.TryRemove(subscriptionId, out _);

    /// <summary>
    /// POSTs a lifecycle notification for a subscription to its lifecycle URL: <c>reauthorizationRequired</c> (Graph
    /// sends it for users), or <c>subscriptionRemoved</c> (which also removes it) or <c>missed</c>.
    /// </summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="lifecycleEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the POST.</param>
    /// <returns>The HTTP status the lifecycle URL answered.</returns>
    /// <exception cref="InvalidOperationException">No such live subscription, or it has no lifecycle URL.</exception>
    public async Task<int> SendLifecycleNotificationAsync(string subscriptionId, string lifecycleEvent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lifecycleEvent);
        var subscription = Find(subscriptionId) ?? throw new InvalidOperationException($"Subscription '{subscriptionId}' does not exist.");
        var url = subscription.LifecycleNotificationUrl ?? throw new InvalidOperationException($"Subscription '{subscriptionId}' has no lifecycleNotificationUrl.");
        if (lifecycleEvent == "subscriptionRemoved")
        {
            _items.TryRemove(subscriptionId, out _);
        }

        var body = Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("value");
            w.WriteStartObject();
            w.WriteString("subscriptionId", subscription.Id);
            w.WriteString("subscriptionExpirationDateTime", subscription.ExpirationDateTime);
            w.WriteString("tenantId", subscription.TenantId);
            w.WriteString("clientState", subscription.ClientState);
            w.WriteString("lifecycleEvent", lifecycleEvent);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
        var status = await PostAsync(url, body, DeliveryTimeout, cancellationToken).ConfigureAwait(false);
        return status == TimedOut ? 0 : status;
    }

    /// <summary>Stops delivering.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sender.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    internal EmulatedSubscription? Find(string subscriptionId) =>
        _items.TryGetValue(subscriptionId, out var s) && s.ExpirationDateTime > _emulator.TimeProvider.GetUtcNow() ? s : null;

    internal IEnumerable<EmulatedSubscription> OfTenant(string tenantId)
    {
        var now = _emulator.TimeProvider.GetUtcNow();
        return _items.Values.Where(s => s.ExpirationDateTime > now && string.Equals(s.TenantId, tenantId, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Validates the URLs (Graph's handshake) and adds the subscription; returns the error message when validation fails.</summary>
    internal async Task<string?> AddAsync(EmulatedSubscription subscription, EmulatedTenant tenant, CancellationToken cancellationToken)
    {
        foreach (var url in new[] { subscription.NotificationUrl, subscription.LifecycleNotificationUrl })
        {
            if (url is not null && await ValidateAsync(url, cancellationToken).ConfigureAwait(false) is { } error)
            {
                return error;
            }
        }

        _items[subscription.Id] = subscription;
        if (_watched.TryAdd(tenant.Id, true))
        {
            tenant.UserChanged += OnUserChanged;
        }

        return null;
    }

    private void OnUserChanged(EmulatedTenant tenant, string userId, string changeType)
    {
        foreach (var subscription in OfTenant(tenant.Id))
        {
            // Graph reports a new user as "updated" to a subscription that did not ask for "created".
            var kind = changeType == "created" && !subscription.Covers("created") ? "updated" : changeType;
            if (subscription.Covers(kind) && subscription.Resource.Trim('/').Equals("users", StringComparison.OrdinalIgnoreCase))
            {
                _outbox.Writer.TryWrite(new Pending(subscription, userId, kind));
            }
        }
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<Pending>(100);
        while (await _outbox.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 100 && _outbox.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            foreach (var group in batch.GroupBy(p => p.Subscription.NotificationUrl, StringComparer.Ordinal))
            {
                var items = group.ToList();
                var body = Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("value");
                    foreach (var (s, userId, kind, _, _) in items)
                    {
                        w.WriteStartObject();
                        w.WriteString("subscriptionId", s.Id);
                        w.WriteString("subscriptionExpirationDateTime", s.ExpirationDateTime);
                        w.WriteString("changeType", kind);
                        w.WriteString("resource", "Users/" + userId);
                        w.WriteStartObject("resourceData");
                        w.WriteString("@odata.type", "#Microsoft.Graph.User");
                        w.WriteString("@odata.id", "Users/" + userId);
                        w.WriteString("id", userId);
                        w.WriteString("organizationId", s.TenantId);
                        w.WriteEndObject();
                        w.WriteString("clientState", s.ClientState);
                        w.WriteString("tenantId", s.TenantId);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                int status;
                try
                {
                    status = await PostAsync(group.Key, body, DeliveryTimeout, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                if (status is >= 200 and < 300)
                {
                    Interlocked.Add(ref _delivered, items.Count);
                    continue;
                }

                Interlocked.Add(ref _failed, items.Count);
                foreach (var item in items)
                {
                    RetryLater(item, timedOut: status == TimedOut);
                }
            }
        }
    }

    /// <summary>Queues a failed notification again after its back-off, or drops it (no answer in time, or retried long enough).</summary>
    private void RetryLater(Pending item, bool timedOut)
    {
        var time = _emulator.TimeProvider;
        var now = time.GetUtcNow();
        var firstFailure = item.FirstFailure ?? now;
        if (timedOut || now - firstFailure >= DeliveryRetryWindow || _stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, DeliveryRetryDelay.Ticks << Math.Min(item.Attempts, 20)));
        var again = item with { Attempts = item.Attempts + 1, FirstFailure = firstFailure };
        _ = Task.Delay(delay, time, _stop.Token).ContinueWith(
            _ =>
            {
                // A subscription deleted or expired meanwhile gets nothing more, as in Graph.
                if (Find(again.Subscription.Id) is null || !_outbox.Writer.TryWrite(again))
                {
                    Interlocked.Increment(ref _dropped);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    private async Task<string?> ValidateAsync(string url, CancellationToken cancellationToken)
    {
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var target = url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "validationToken=" + Uri.EscapeDataString(token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        timeout.CancelAfter(ValidationTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            return (int)response.StatusCode != 200
                ? $"Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. Response status code: {(int)response.StatusCode}."
                : text != token || response.Content.Headers.ContentType?.MediaType != "text/plain"
                    ? "Subscription validation request failed. Response must exactly match validationToken query parameter, as text/plain."
                    : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "Subscription validation request timeout.";
        }
        catch (HttpRequestException ex)
        {
            return $"Subscription validation request failed. Notification endpoint could not be reached: {ex.Message}";
        }
    }

    private async Task<int> PostAsync(string url, byte[] body, TimeSpan within, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _posts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(url, content, timeout.Token).ConfigureAwait(false);
            return (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new ResponseBuffer(1024);
        using (var writer = new Utf8JsonWriter(buffer, GraphRequestHandler.WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenMemory.ToArray();
    }

    private readonly record struct Pending(EmulatedSubscription Subscription, string UserId, string ChangeType, int Attempts = 0, DateTimeOffset? FirstFailure = null);
}
