using System.Globalization;
using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

internal sealed partial class GraphRequestHandler
{
    private const string ReadUsers = "User.Read.All";
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 999;

    private static string AdvancedQueryMessage(string op) =>
        $"Operator '{op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information";

    /// <summary>Parses $select; null means Graph's default set. Unknown names answer Graph's 400.</summary>
    private static UserProperty[]? ParseSelect(string? select, bool list)
    {
        if (string.IsNullOrWhiteSpace(select))
        {
            return null;
        }

        var names = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<UserProperty>(names.Length);
        foreach (var name in names)
        {
            var property = UserCatalog.Find(name)
                ?? throw new GraphQueryException(400, "Request_BadRequest", $"Could not find a property named '{name}' on type 'Microsoft.DirectoryServices.User'.");
            if (list && property.SingleEntityOnly)
            {
                throw new GraphQueryException(501, "NotImplemented", "This operation target is not yet supported.");
            }

            if (!result.Contains(property))
            {
                result.Add(property);
            }
        }

        return [.. result];
    }

    private static int ParseTop(string? top)
    {
        if (top is null)
        {
            return DefaultPageSize;
        }

        if (!int.TryParse(top, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1 || value > MaxPageSize)
        {
            throw new GraphQueryException(400, "Request_BadRequest", $"Invalid page size specified: '{top}'. Must be between 1 and {MaxPageSize} inclusive.");
        }

        return value;
    }

    /// <summary>Validates $filter/$search/$count and the advanced-query rules; returns the filter to apply.</summary>
    private static ODataFilter? ParseListQuery(GraphCall call, bool allowSearch)
    {
        if (call.Query("orderby") is not null)
        {
            throw new GraphQueryException(400, "Request_UnsupportedQuery", "The Graph emulator does not support $orderby.");
        }

        if (call.Query("skip") is not null)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "'$skip' is not supported by the service.");
        }

        ODataFilter? filter = null;
        if (call.Query("filter") is { } text && !string.IsNullOrWhiteSpace(text))
        {
            filter = ODataFilter.Parse(text);
            if (filter.AdvancedOperator is { } op && !(call.Eventual && call.CountRequested))
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", AdvancedQueryMessage(op));
            }
        }

        if (call.Query("search") is { } search)
        {
            if (!call.Eventual)
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
            }

            if (!allowSearch)
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", "The Graph emulator does not support $search here.");
            }

            filter = SearchFilter.Combine(filter, search);
        }

        return filter;
    }

    /// <summary>
    /// Parses <c>$expand</c>: only <c>manager</c>, optionally with its own <c>$select</c>, the way the SDK sends it; returns
    /// the manager's properties to write, or <see langword="null"/> without $expand. Like Graph, refuses $expand with
    /// advanced queries.
    /// </summary>
    private static UserProperty[]? ParseExpand(GraphCall call)
    {
        if (call.Query("expand") is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (call.Eventual && call.CountRequested)
        {
            throw new GraphQueryException(400, "Request_UnsupportedQuery", "The specified query is not supported: $expand cannot be combined with advanced query capabilities (ConsistencyLevel: eventual, $count).");
        }

        text = text.Trim();
        if (text.Equals("manager", StringComparison.OrdinalIgnoreCase))
        {
            return UserCatalog.Default;
        }

        const string Prefix = "manager($select=";
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !text.EndsWith(')'))
        {
            throw new GraphQueryException(400, "Request_UnsupportedQuery", "The Graph emulator supports $expand=manager and $expand=manager($select=...) only.");
        }

        return ParseSelect(text[Prefix.Length..^1], list: false) ?? UserCatalog.Default;
    }

    /// <summary>The user's manager as <c>$expand=manager</c> shows it, or <see langword="null"/> when there is none.</summary>
    private static EmulatedUser? ManagerOf(GraphCall call, EmulatedUser user) =>
        user.ManagerId is { } id ? call.Tenant.FindActiveSnapshot(id) : null;

    private async Task GetManagerAsync(GraphCall call, string key)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var select = ParseSelect(call.Query("select"), list: false);
        var user = call.Tenant.FindActiveSnapshot(key);
        if (user is null)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        if (ManagerOf(call, user) is not { } manager)
        {
            await NotFoundAsync(call, "manager").ConfigureAwait(false);
            return;
        }

        var properties = select ?? UserCatalog.Default;
        await SendDirectoryObjectAsync(call, manager, properties, appendId: !properties.Contains(UserCatalog.Id)).ConfigureAwait(false);
    }

    /// <summary>A user as Graph answers for a directory object (a manager, a deleted item): <c>#directoryObjects/$entity</c>.</summary>
    private static async Task SendDirectoryObjectAsync(GraphCall call, EmulatedUser user, UserProperty[] properties, bool appendId)
    {
        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#directoryObjects/$entity");
            writer.WriteString("@odata.type", "#microsoft.graph.user");
            WriteUserProperties(writer, user, properties, appendId, omitUnset: false);
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task ListUsersAsync(GraphCall call)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var selectText = call.Query("select");
        var select = ParseSelect(selectText, list: true);
        var top = ParseTop(call.Query("top"));
        var filter = ParseListQuery(call, allowSearch: true);
        var expand = ParseExpand(call);
        var position = 0;
        var skipToken = call.Query("skiptoken");
        if (skipToken is not null)
        {
            position = SkipToken.TryDecode(call.Tenant.Id, skipToken)
                ?? throw new GraphQueryException(400, "Request_BadRequest", "The specified page token value has expired and can no longer be included in your request.");
        }

        var includeCount = call.Eventual && call.CountRequested && skipToken is null;
        var (page, next, count) = call.Tenant.ListUsers(filter, position, top, includeCount);

        using var buffer = new ResponseBuffer(Math.Max(16 * 1024, page.Count * 600));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#users" + (select is null ? string.Empty : "(" + SelectText(selectText!) + ")"));
            if (count is { } c)
            {
                writer.WriteNumber("@odata.count", c);
            }

            if (next is { } n)
            {
                writer.WriteString("@odata.nextLink", NextLink(call, "/users", SkipToken.Encode(call.Tenant.Id, n)));
            }

            writer.WriteStartArray("value");
            var properties = select ?? UserCatalog.Default;
            var appendId = select is not null && !select.Contains(UserCatalog.Id);
            foreach (var user in page)
            {
                WriteUser(writer, user, properties, appendId, omitUnset: false, manager: expand is null ? null : ManagerOf(call, user), managerProperties: expand);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task CountUsersAsync(GraphCall call)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (!call.Eventual)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "$count is not currently supported.");
        }

        var filter = call.Query("filter") is { } text && !string.IsNullOrWhiteSpace(text) ? ODataFilter.Parse(text) : null;
        var (_, _, count) = call.Tenant.ListUsers(filter, 0, 1, count: true);
        await call.SendAsync(200, System.Text.Encoding.UTF8.GetBytes(count!.Value.ToString(CultureInfo.InvariantCulture)), "text/plain").ConfigureAwait(false);
    }

    private async Task GetUserAsync(GraphCall call, string key)
    {
        if (call.Denied(ReadUsers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var selectText = call.Query("select");
        var select = ParseSelect(selectText, list: false);
        var expand = ParseExpand(call);
        var user = call.Tenant.FindActiveSnapshot(key);
        if (user is null)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteUserEntity(writer, call, user, select, selectText, manager: expand is null ? null : ManagerOf(call, user), managerProperties: expand);
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private static void WriteUserEntity(Utf8JsonWriter writer, GraphCall call, EmulatedUser user, UserProperty[]? select, string? selectText, string? odataType = null, EmulatedUser? manager = null, UserProperty[]? managerProperties = null)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#users" + (select is null ? string.Empty : "(" + SelectText(selectText!) + ")") + "/$entity");
        if (odataType is not null)
        {
            writer.WriteString("@odata.type", odataType);
        }

        WriteUserProperties(writer, user, select ?? UserCatalog.Default, appendId: false, omitUnset: false);
        WriteManager(writer, manager, managerProperties);
        writer.WriteEndObject();
    }

    private static Task NotFoundAsync(GraphCall call, string key) =>
        call.ErrorAsync(404, "Request_ResourceNotFound", $"Resource '{key}' does not exist or one of its queried reference-property objects are not present.");

    internal static void WriteUser(Utf8JsonWriter writer, EmulatedUser user, UserProperty[] properties, bool appendId, bool omitUnset, string? odataType = null, EmulatedUser? manager = null, UserProperty[]? managerProperties = null)
    {
        writer.WriteStartObject();
        if (odataType is not null)
        {
            writer.WriteString("@odata.type", odataType);
        }

        WriteUserProperties(writer, user, properties, appendId, omitUnset);
        WriteManager(writer, manager, managerProperties);
        writer.WriteEndObject();
    }

    /// <summary>An expanded manager, as Graph writes it: an object with its <c>@odata.type</c>; absent when there is none.</summary>
    private static void WriteManager(Utf8JsonWriter writer, EmulatedUser? manager, UserProperty[]? properties)
    {
        if (manager is null || properties is null)
        {
            return;
        }

        writer.WriteStartObject("manager");
        writer.WriteString("@odata.type", "#microsoft.graph.user");
        WriteUserProperties(writer, manager, properties, appendId: !properties.Contains(UserCatalog.Id), omitUnset: false);
        writer.WriteEndObject();
    }

    private static void WriteUserProperties(Utf8JsonWriter writer, EmulatedUser user, UserProperty[] properties, bool appendId, bool omitUnset)
    {
        foreach (var property in properties)
        {
            if (omitUnset && property.IsUnset(user))
            {
                continue;
            }

            writer.WritePropertyName(property.JsonName);
            property.WriteValue(writer, user);
        }

        if (appendId)
        {
            writer.WriteString(UserCatalog.Id.JsonName, user.Id);
        }
    }

    private static string SelectText(string select) =>
        string.Join(',', select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A nextLink carrying the original query (minus the old $skiptoken) plus the new opaque $skiptoken.</summary>
    private static string NextLink(GraphCall call, string path, string token)
    {
        var query = call.QueryWithout("skiptoken");
        return call.ServiceRoot + path + "?" + (query.Length > 0 ? query + "&" : string.Empty) + "$skiptoken=" + token;
    }
}

/// <summary>Minimal <c>$search="property:term"</c> support: a word of the property starts with the term; terms ANDed.</summary>
internal static class SearchFilter
{
    public static ODataFilter Combine(ODataFilter? filter, string search)
    {
        var result = filter;
        foreach (var part in search.Split(" AND ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var term = part.Trim('"');
            var colon = term.IndexOf(':', StringComparison.Ordinal);
            var property = colon > 0 ? UserCatalog.Find(term[..colon]) : null;
            if (property is null || property.Kind != PropertyKind.String)
            {
                throw new GraphQueryException(400, "Request_UnsupportedQuery", "Syntax error: $search needs \"property:term\" over a string property.");
            }

            var value = term[(colon + 1)..];
            var clause = ODataFilter.FromPredicate(u => property.GetString!(u) is { } text
                && text.Split([' ', '.', '-', '_', '@'], StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(value, StringComparison.OrdinalIgnoreCase)));
            result = clause.And(result);
        }

        return result!;
    }
}
