using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary><c>/subscriptions</c>: create (with the validation request), get, list, renew (PATCH) and delete.</summary>
internal sealed partial class GraphRequestHandler
{
    private static readonly string[] ChangeTypes = ["created", "updated", "deleted"];

    private Task DispatchSubscriptionsAsync(GraphCall call, string[] s, string method)
    {
        if (s.Length == 0)
        {
            return HttpMethods.IsPost(method) ? CreateSubscriptionAsync(call)
                : HttpMethods.IsGet(method) ? ListSubscriptionsAsync(call)
                : NotSupportedAsync(call, s);
        }

        if (s.Length == 1)
        {
            return method switch
            {
                _ when HttpMethods.IsGet(method) => GetSubscriptionAsync(call, s[0]),
                _ when HttpMethods.IsPatch(method) => UpdateSubscriptionAsync(call, s[0]),
                _ when HttpMethods.IsDelete(method) => DeleteSubscriptionAsync(call, s[0]),
                _ => NotSupportedAsync(call, s),
            };
        }

        return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{s[1]}'.");
    }

    private async Task CreateSubscriptionAsync(GraphCall call)
    {
        // Creating a subscription needs read access to the resource: User.Read.All for users.
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        var root = doc.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var changeType = Text("changeType");
        var notificationUrl = Text("notificationUrl");
        var resource = Text("resource");
        var lifecycleUrl = Text("lifecycleNotificationUrl");
        var clientState = Text("clientState");
        var now = emulator.TimeProvider.GetUtcNow();
        foreach (var (name, value) in new[] { ("changeType", changeType), ("notificationUrl", notificationUrl), ("resource", resource), ("expirationDateTime", Text("expirationDateTime")) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new GraphQueryException(400, "InvalidRequest", $"The property '{name}' is required.");
            }
        }

        if (!DateTimeOffset.TryParse(Text("expirationDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            throw new GraphQueryException(400, "InvalidRequest", "The value of 'expirationDateTime' is not a valid date and time.");
        }

        CheckExpiration(expires, now);
        if (changeType!.Split(',', StringSplitOptions.TrimEntries).Any(t => !ChangeTypes.Contains(t, StringComparer.Ordinal)))
        {
            throw new GraphQueryException(400, "InvalidRequest", $"'{changeType}' is not a valid change type; use created, updated or deleted, comma-separated.");
        }

        if (!resource!.Trim('/').Equals("users", StringComparison.OrdinalIgnoreCase))
        {
            throw new GraphQueryException(400, "InvalidRequest", $"The emulator supports subscriptions on '/users' only, not '{resource}'.");
        }

        if (clientState is { Length: > 128 })
        {
            throw new GraphQueryException(400, "InvalidRequest", "The clientState is limited to 128 characters.");
        }

        foreach (var url in new[] { notificationUrl, lifecycleUrl })
        {
            if (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw new GraphQueryException(400, "InvalidRequest", $"'{url}' is not a valid notification URL.");
            }
        }

        var subscription = new EmulatedSubscription
        {
            Id = Guid.NewGuid().ToString(),
            TenantId = call.Tenant.Id,
            Resource = resource,
            ChangeType = changeType,
            NotificationUrl = notificationUrl!,
            LifecycleNotificationUrl = lifecycleUrl,
            ClientState = clientState,
            ExpirationDateTime = expires,
        };
        if (await emulator.Subscriptions.AddAsync(subscription, call.Tenant, call.Context.RequestAborted).ConfigureAwait(false) is { } error)
        {
            await call.ErrorAsync(400, "ValidationError", error).ConfigureAwait(false);
            return;
        }

        await SendSubscriptionAsync(call, 201, subscription).ConfigureAwait(false);
    }

    private Task ListSubscriptionsAsync(GraphCall call)
    {
        using var buffer = new ResponseBuffer(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#subscriptions");
            writer.WriteStartArray("value");
            foreach (var subscription in emulator.Subscriptions.OfTenant(call.Tenant.Id))
            {
                WriteSubscription(writer, subscription, null);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return call.SendJsonAsync(200, buffer);
    }

    private Task GetSubscriptionAsync(GraphCall call, string id) =>
        Owned(call, id) is { } subscription ? SendSubscriptionAsync(call, 200, subscription) : SubscriptionNotFoundAsync(call, id);

    private async Task UpdateSubscriptionAsync(GraphCall call, string id)
    {
        using var doc = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        if (Owned(call, id) is not { } subscription)
        {
            await SubscriptionNotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }

        if (doc.RootElement.TryGetProperty("expirationDateTime", out var value))
        {
            if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
            {
                throw new GraphQueryException(400, "InvalidRequest", "The value of 'expirationDateTime' is not a valid date and time.");
            }

            CheckExpiration(expires, emulator.TimeProvider.GetUtcNow());
            subscription.ExpirationDateTime = expires;
        }

        if (doc.RootElement.TryGetProperty("notificationUrl", out var url) && url.GetString() is { } newUrl)
        {
            subscription.NotificationUrl = newUrl;
        }

        await SendSubscriptionAsync(call, 200, subscription).ConfigureAwait(false);
    }

    private Task DeleteSubscriptionAsync(GraphCall call, string id)
    {
        if (Owned(call, id) is null)
        {
            return SubscriptionNotFoundAsync(call, id);
        }

        emulator.Subscriptions.Remove(id);
        call.Context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private EmulatedSubscription? Owned(GraphCall call, string id) =>
        emulator.Subscriptions.Find(id) is { } s && string.Equals(s.TenantId, call.Tenant.Id, StringComparison.OrdinalIgnoreCase) ? s : null;

    private static void CheckExpiration(DateTimeOffset expires, DateTimeOffset now)
    {
        if (expires <= now)
        {
            throw new GraphQueryException(400, "InvalidRequest", "Subscription expiration can only be in the future.");
        }

        if (expires > now + EmulatedSubscriptions.MaxLifetime)
        {
            throw new GraphQueryException(400, "InvalidRequest", "Subscription expiration can only be 41760 minutes in the future.");
        }
    }

    private static Task SubscriptionNotFoundAsync(GraphCall call, string id) =>
        call.ErrorAsync(404, "ResourceNotFound", $"The object was not found: subscription '{id}'.");

    private static Task SendSubscriptionAsync(GraphCall call, int status, EmulatedSubscription subscription)
    {
        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSubscription(writer, subscription, call.ServiceRoot + "/$metadata#subscriptions/$entity");
        }

        return call.SendJsonAsync(status, buffer);
    }

    private static void WriteSubscription(Utf8JsonWriter writer, EmulatedSubscription subscription, string? context)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("id", subscription.Id);
        writer.WriteString("resource", subscription.Resource);
        writer.WriteNull("applicationId");
        writer.WriteString("changeType", subscription.ChangeType);
        writer.WriteString("clientState", subscription.ClientState);
        writer.WriteString("notificationUrl", subscription.NotificationUrl);
        writer.WriteString("lifecycleNotificationUrl", subscription.LifecycleNotificationUrl);
        writer.WriteString("expirationDateTime", subscription.ExpirationDateTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        writer.WriteNull("creatorId");
        writer.WriteString("latestSupportedTlsVersion", "v1_2");
        writer.WriteNull("encryptionCertificate");
        writer.WriteNull("encryptionCertificateId");
        writer.WriteBoolean("includeResourceData", false);
        writer.WriteString("notificationContentType", "application/json");
        writer.WriteEndObject();
    }
}
