using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

internal sealed partial class GraphRequestHandler
{
    private const string SyncStateNotFoundMessage = "The sync state generation is not found. The delta token is expired and data must be synchronized again.";

    private async Task UsersDeltaAsync(GraphCall call)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var tenant = call.Tenant;
        var skipToken = call.Query("skiptoken");
        var deltaToken = call.Query("deltatoken");
        DeltaToken round;
        var initialRequest = false;
        if (skipToken is not null || (deltaToken is not null && deltaToken.Length > 0 && !deltaToken.Equals("latest", StringComparison.OrdinalIgnoreCase)))
        {
            // Query parameters belong to the initial request only; the token carries them.
            var token = DeltaToken.TryDecode(skipToken ?? deltaToken);
            if (token is null || !string.Equals(token.TenantId, tenant.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw new GraphQueryException(400, "syncStateNotFound", SyncStateNotFoundMessage);
            }

            switch (tenant.CheckDeltaToken(token))
            {
                case "reset":
                    call.Context.Response.Headers.Location = call.ServiceRoot + "/users/delta?" + (token.Select.Length > 0 ? "$select=" + Uri.EscapeDataString(token.Select) + "&" : string.Empty) + "$deltatoken=";
                    throw new GraphQueryException(410, "resyncRequired", "Resync required. Replace any local cached copies of the directory object(s) with the versions returned by a full resync.");
                case "expired":
                    throw new GraphQueryException(400, "syncStateNotFound", SyncStateNotFoundMessage);
            }

            round = skipToken is not null ? token : tenant.NextRound(token);
        }
        else
        {
            if (call.Query("top") is not null || call.Query("orderby") is not null || call.Query("expand") is not null)
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", "Unsupported query: $top, $orderby and $expand are not supported on delta.");
            }

            if (call.Query("filter") is not null)
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", "The Graph emulator does not support $filter on users/delta.");
            }

            var selectText = call.Query("select") ?? string.Empty;
            ParseSelect(selectText, list: true);
            var latest = deltaToken is not null && deltaToken.Equals("latest", StringComparison.OrdinalIgnoreCase);
            round = tenant.NewDeltaRound(SelectText(selectText), latest).Token;
            initialRequest = true;
            if (latest)
            {
                await WriteDeltaPageAsync(call, round, [], [], null, initialRequest).ConfigureAwait(false);
                return;
            }
        }

        var select = ParseSelect(round.Select, list: true);
        var tracked = select ?? UserCatalog.Default;
        var minimal = round.Since > 0 && call.Context.Request.Headers.TryGetValue("Prefer", out var prefer)
            && prefer.ToString().Contains("return=minimal", StringComparison.OrdinalIgnoreCase);
        if (minimal)
        {
            call.Context.Response.Headers["Preference-Applied"] = "return=minimal";
        }

        var (items, next) = tenant.DeltaPage(round, tracked, minimal, Math.Max(1, tenant.DeltaPageSize));
        await WriteDeltaPageAsync(call, round, items, tracked, next, initialRequest).ConfigureAwait(false);
    }

    private async Task WriteDeltaPageAsync(GraphCall call, DeltaToken round, List<DeltaItem> items, UserProperty[] tracked, int? next, bool initialRequest)
    {
        var tenant = call.Tenant;
        var now = tenant.TimeProvider.GetUtcNow().UtcTicks;
        using var buffer = new ResponseBuffer(Math.Max(8 * 1024, items.Count * 500));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();

            // Graph projects the context on the first page only (#users(displayName,...)), then sends plain #users.
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#users" + (initialRequest && round.Select.Length > 0 ? "(" + round.Select + ")" : string.Empty));
            if (next is { } position)
            {
                var token = new DeltaToken
                {
                    TenantId = tenant.Id,
                    Since = round.Since,
                    UpTo = round.UpTo,
                    PreviousSince = round.PreviousSince,
                    Position = position,
                    Generation = round.Generation,
                    IssuedAtTicks = now,
                    Select = round.Select,
                    ReplayLast = tenant.ReplayDeltaDuplicates,
                };
                writer.WriteString("@odata.nextLink", call.ServiceRoot + "/users/delta?$skiptoken=" + token.Encode());
            }
            else
            {
                var token = new DeltaToken
                {
                    TenantId = tenant.Id,
                    Since = round.Since,
                    UpTo = round.UpTo,
                    PreviousSince = round.PreviousSince,
                    Generation = round.Generation,
                    IssuedAtTicks = now,
                    Select = round.Select,
                };
                writer.WriteString("@odata.deltaLink", call.ServiceRoot + "/users/delta?$deltatoken=" + token.Encode());
            }

            writer.WriteStartArray("value");
            foreach (var item in items)
            {
                WriteDeltaItem(writer, item, tracked, round.Since);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private static void WriteDeltaItem(Utf8JsonWriter writer, DeltaItem item, UserProperty[] tracked, long since)
    {
        switch (item.Kind)
        {
            case DeltaItemKind.RemovedChanged:
            case DeltaItemKind.RemovedDeleted:
                writer.WriteStartObject();
                writer.WriteString("id", item.User.Id);
                writer.WriteStartObject("@removed");
                writer.WriteString("reason", item.Kind == DeltaItemKind.RemovedChanged ? "changed" : "deleted");
                writer.WriteEndObject();
                writer.WriteEndObject();
                return;
            case DeltaItemKind.Minimal:
                // Only changed properties; a present null means "cleared".
                writer.WriteStartObject();
                foreach (var property in tracked)
                {
                    if (property != UserCatalog.Id && item.Record.ChangedVersion(property.Name) > since)
                    {
                        writer.WritePropertyName(property.JsonName);
                        property.WriteValue(writer, item.User);
                    }
                }

                writer.WriteString("id", item.User.Id);
                writer.WriteEndObject();
                return;
            default:
                // Properties never set are omitted; id comes last as in Graph's samples.
                writer.WriteStartObject();
                foreach (var property in tracked)
                {
                    if (property != UserCatalog.Id && !property.IsUnset(item.User))
                    {
                        writer.WritePropertyName(property.JsonName);
                        property.WriteValue(writer, item.User);
                    }
                }

                writer.WriteString("id", item.User.Id);
                writer.WriteEndObject();
                return;
        }
    }
}
