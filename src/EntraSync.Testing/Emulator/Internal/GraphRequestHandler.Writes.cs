using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

internal sealed partial class GraphRequestHandler
{
    private static readonly HashSet<string> IgnoredOnWrite = new(StringComparer.OrdinalIgnoreCase) { "passwordProfile", "@odata.type", "passwordPolicies" };

    private async Task CreateUserAsync(GraphCall call)
    {
        if (call.Denied(WriteUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        var user = new EmulatedUser();
        if (doc.RootElement.TryGetProperty("id", out _))
        {
            throw new GraphQueryException(400, "Request_BadRequest", "Property 'id' is read-only and cannot be set.");
        }

        ApplyJson(user, doc.RootElement);
        foreach (var required in new[] { ("displayName", user.DisplayName), ("userPrincipalName", user.UserPrincipalName) })
        {
            if (string.IsNullOrWhiteSpace(required.Item2))
            {
                throw new GraphQueryException(400, "Request_BadRequest", $"Invalid value specified for property '{required.Item1}' of resource 'User'.");
            }
        }

        user.AccountEnabled ??= true;
        user.UserType ??= "Member";
        SyncPrimarySmtp(user, null);
        EmulatedUser created;
        try
        {
            created = call.Tenant.CreateFromGraph(user);
        }
        catch (InvalidOperationException)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
        }

        call.Context.Response.Headers.Location = call.ServiceRoot + "/users/" + created.Id;
        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteUserEntity(writer, call, created, null, null);
        }

        await call.SendJsonAsync(201, buffer).ConfigureAwait(false);
    }

    private async Task UpdateUserAsync(GraphCall call, string key)
    {
        if (call.Denied(WriteUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        if (call.Tenant.FindActiveSnapshot(key) is not { } current)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        var updated = current.Clone();
        ApplyJson(updated, doc.RootElement);
        SyncPrimarySmtp(updated, current.Mail);
        try
        {
            call.Tenant.ApplyUpdate(current.Id, updated);
        }
        catch (InvalidOperationException)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
        }
        catch (KeyNotFoundException)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        await call.SendAsync(204, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private async Task DeleteUserAsync(GraphCall call, string key)
    {
        if (call.Denied(WriteUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            call.Tenant.DeleteUser(key);
        }
        catch (KeyNotFoundException)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        await call.SendAsync(204, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private async Task ListDeletedUsersAsync(GraphCall call)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var deleted = call.Tenant.GetDeletedUsers();
        using var buffer = new ResponseBuffer();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#directoryObjects/microsoft.graph.user");
            writer.WriteStartArray("value");
            foreach (var user in deleted)
            {
                WriteUser(writer, user, UserCatalog.Default, appendId: false, omitUnset: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task GetDeletedAsync(GraphCall call, string id)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindDeletedSnapshot(id) is not { } user)
        {
            await NotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }

        await SendDirectoryObjectAsync(call, user, UserCatalog.Default, appendId: false).ConfigureAwait(false);
    }

    private async Task RestoreAsync(GraphCall call, string id)
    {
        if (call.Denied(WriteUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        EmulatedUser restored;
        try
        {
            restored = call.Tenant.RestoreUser(id);
        }
        catch (KeyNotFoundException)
        {
            await NotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }
        catch (InvalidOperationException)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
        }

        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#directoryObjects/$entity");
            writer.WriteString("@odata.type", "#microsoft.graph.user");
            WriteUserProperties(writer, restored, UserCatalog.Default, appendId: false, omitUnset: false);
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task HardDeleteAsync(GraphCall call, string id)
    {
        if (call.Denied(WriteUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindDeletedSnapshot(id) is null)
        {
            await NotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }

        call.Tenant.PermanentlyDeleteUser(id);
        await call.SendAsync(204, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private static void ApplyJson(EmulatedUser user, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Expected an object.");
        }

        foreach (var item in body.EnumerateObject())
        {
            if (IgnoredOnWrite.Contains(item.Name))
            {
                continue;
            }

            var property = UserCatalog.Find(item.Name)
                ?? throw new GraphQueryException(400, "Request_BadRequest", $"Property '{item.Name}' does not exist on type 'Microsoft.DirectoryServices.User'.");
            if (property.Kind == PropertyKind.Licenses || property == UserCatalog.Id)
            {
                throw new GraphQueryException(400, "Request_BadRequest", $"Property '{property.Name}' is read-only and cannot be set.");
            }

            if (property.SetFromJson(user, item.Value) is { } error)
            {
                throw new GraphQueryException(400, "Request_BadRequest", error);
            }
        }
    }

    /// <summary>As Exchange does: a new mail becomes the primary SMTP proxy address; the old primary becomes an alias.</summary>
    private static void SyncPrimarySmtp(EmulatedUser user, string? previousMail)
    {
        if (user.Mail is null || string.Equals(user.Mail, previousMail, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var list = user.ProxyAddresses;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].StartsWith("SMTP:", StringComparison.Ordinal))
            {
                list[i] = "smtp:" + list[i][5..];
            }
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].StartsWith("smtp:", StringComparison.Ordinal) && string.Equals(list[i][5..], user.Mail, StringComparison.OrdinalIgnoreCase))
            {
                list.RemoveAt(i);
            }
        }

        list.Insert(0, "SMTP:" + user.Mail);
    }
}
