using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>Answers every request: Graph v1.0, the Entra token endpoint and the <c>/_emulator</c> control API.</summary>
internal sealed partial class GraphRequestHandler(GraphEmulator emulator)
{
    internal const string JsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonWriterOptions IndentedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "_emulator")
        {
            await HandleControlAsync(context, segments).ConfigureAwait(false);
            return;
        }

        var entry = new EmulatorRequest(request.Method, request.Path.ToUriComponent() + request.QueryString.ToUriComponent(), CopyHeaders(request), null, emulator.TimeProvider.GetUtcNow());
        emulator.Record(entry);
        var call = new GraphCall(context, entry, this);
        try
        {
            if (segments.Length >= 3 && segments[1].Equals("oauth2", StringComparison.OrdinalIgnoreCase)
                || (segments.Length >= 2 && segments[^1].Equals("openid-configuration", StringComparison.OrdinalIgnoreCase))
                || (segments.Length >= 2 && segments[0].Equals("common", StringComparison.OrdinalIgnoreCase) && segments[1].Equals("discovery", StringComparison.OrdinalIgnoreCase)))
            {
                await HandleIdentityAsync(call, segments).ConfigureAwait(false);
                return;
            }

            if (segments.Length == 0 || !segments[0].Equals("v1.0", StringComparison.OrdinalIgnoreCase))
            {
                await call.ErrorAsync(404, "BadRequest", segments.Length == 0 ? "Invalid request." : $"Invalid version: {segments[0]}").ConfigureAwait(false);
                return;
            }

            var fault = emulator.Faults.Decide(path + request.QueryString.ToUriComponent());
            if (fault.LatencyMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(fault.LatencyMs), emulator.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            }

            if (fault.Reset)
            {
                entry.Fault = "connectionReset";
                context.Abort();
                return;
            }

            if (fault.Status is { } status)
            {
                entry.Fault = "status";
                await call.FaultStatusAsync(status, fault.RetryAfterSeconds).ConfigureAwait(false);
                return;
            }

            call.CutOff = fault.CutOff;
            if (!call.Authenticate())
            {
                await call.UnauthorizedAsync().ConfigureAwait(false);
                return;
            }

            await DispatchGraphAsync(call, segments.AsMemory(1)).ConfigureAwait(false);
        }
        catch (GraphQueryException ex)
        {
            await call.ErrorAsync(ex.Status, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await call.ErrorAsync(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            entry.StatusCode = 0;
        }
        finally
        {
            if (entry.StatusCode == 0 && !context.RequestAborted.IsCancellationRequested && entry.Fault is null or "status")
            {
                entry.StatusCode = context.Response.StatusCode;
            }
        }
    }

    private Task DispatchGraphAsync(GraphCall call, ReadOnlyMemory<string> route)
    {
        var s = route.Span;
        var method = call.Context.Request.Method;
        if (s.Length == 0)
        {
            return call.ErrorAsync(400, "BadRequest", "Invalid request.");
        }

        var first = s[0].ToLowerInvariant();
        if (first.StartsWith("users(", StringComparison.Ordinal))
        {
            // users('$x@contoso.com'): the key-in-parentheses form Graph needs for UPNs starting with $.
            return DispatchUsersAsync(call, [s[0][5..], .. s[1..]], method);
        }

        switch (first)
        {
            case "$batch":
                return s.Length == 1 && HttpMethods.IsPost(method) ? BatchAsync(call) : NotSupportedAsync(call, s);
            case "users":
                return DispatchUsersAsync(call, s[1..].ToArray(), method);
            case "organization":
                return s.Length <= 2 && HttpMethods.IsGet(method) ? OrganizationAsync(call, s.Length == 2 ? s[1] : null) : NotSupportedAsync(call, s);
            case "groups":
                return DispatchGroupsAsync(call, s[1..].ToArray(), method);
            case "directory":
                return DispatchDirectoryAsync(call, s[1..].ToArray(), method);
            case "subscriptions":
                return DispatchSubscriptionsAsync(call, s[1..].ToArray(), method);
            default:
                return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{s[0]}'.");
        }
    }

    private Task DispatchUsersAsync(GraphCall call, string[] s, string method)
    {
        if (s.Length == 0)
        {
            return HttpMethods.IsGet(method) ? ListUsersAsync(call)
                : HttpMethods.IsPost(method) ? CreateUserAsync(call)
                : NotSupportedAsync(call, s);
        }

        if (s.Length == 1 && s[0].ToLowerInvariant() is "delta" or "delta()" or "microsoft.graph.delta" or "microsoft.graph.delta()")
        {
            return HttpMethods.IsGet(method) ? UsersDeltaAsync(call) : NotSupportedAsync(call, s);
        }

        if (s.Length == 1 && s[0] == "$count")
        {
            return HttpMethods.IsGet(method) ? CountUsersAsync(call) : NotSupportedAsync(call, s);
        }

        var key = UserKey(s[0]);
        if (s.Length == 1)
        {
            return method switch
            {
                _ when HttpMethods.IsGet(method) => GetUserAsync(call, key),
                _ when HttpMethods.IsPatch(method) => UpdateUserAsync(call, key),
                _ when HttpMethods.IsDelete(method) => DeleteUserAsync(call, key),
                _ => NotSupportedAsync(call, s),
            };
        }

        if (s[1].Equals("photos", StringComparison.OrdinalIgnoreCase) && s.Length >= 3)
        {
            // photos/{size}: the emulator keeps one size per photo and serves it for every size asked.
            s = [s[0], "photo", .. s[3..]];
        }

        if (s[1].Equals("photo", StringComparison.OrdinalIgnoreCase))
        {
            if (s.Length == 2 && HttpMethods.IsGet(method))
            {
                return PhotoMetadataAsync(call, key);
            }

            if (s.Length == 3 && s[2] == "$value")
            {
                return HttpMethods.IsGet(method) ? PhotoValueAsync(call, key)
                    : HttpMethods.IsPut(method) ? PutPhotoAsync(call, key)
                    : NotSupportedAsync(call, s);
            }
        }

        if (s.Length == 2 && s[1].Equals("manager", StringComparison.OrdinalIgnoreCase))
        {
            return HttpMethods.IsGet(method) ? GetManagerAsync(call, key) : NotSupportedAsync(call, s);
        }

        return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{s[1]}'.");
    }

    private Task DispatchGroupsAsync(GraphCall call, string[] s, string method)
    {
        if (s.Length == 0)
        {
            return HttpMethods.IsGet(method) ? ListGroupsAsync(call) : NotSupportedAsync(call, s);
        }

        if (s.Length == 1)
        {
            return HttpMethods.IsGet(method) ? GetGroupAsync(call, s[0]) : NotSupportedAsync(call, s);
        }

        var relation = s[1].ToLowerInvariant();
        if (relation is not ("members" or "transitivemembers"))
        {
            return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{s[1]}'.");
        }

        var transitive = relation == "transitivemembers";
        if (!transitive && s.Length == 3 && s[2] == "$ref" && HttpMethods.IsPost(method))
        {
            return AddMemberRefAsync(call, s[0]);
        }

        if (!transitive && s.Length == 4 && s[3] == "$ref" && HttpMethods.IsDelete(method))
        {
            return RemoveMemberRefAsync(call, s[0], s[2]);
        }

        if (!HttpMethods.IsGet(method))
        {
            return NotSupportedAsync(call, s);
        }

        if (s.Length == 2)
        {
            return ListMembersAsync(call, s[0], transitive, null);
        }

        if (s.Length == 3)
        {
            var cast = s[2].ToLowerInvariant();
            cast = cast.StartsWith("graph.", StringComparison.Ordinal) ? "microsoft." + cast : cast;
            if (cast is "microsoft.graph.user" or "microsoft.graph.group")
            {
                return ListMembersAsync(call, s[0], transitive, cast);
            }
        }

        return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{s[^1]}'.");
    }

    private Task DispatchDirectoryAsync(GraphCall call, string[] s, string method)
    {
        if (s.Length >= 1 && s[0].Equals("deletedItems", StringComparison.OrdinalIgnoreCase))
        {
            if (s.Length == 2 && s[1].ToLowerInvariant() is "microsoft.graph.user" or "graph.user" && HttpMethods.IsGet(method))
            {
                return ListDeletedUsersAsync(call);
            }

            if (s.Length == 2)
            {
                return HttpMethods.IsDelete(method) ? HardDeleteAsync(call, s[1])
                    : HttpMethods.IsGet(method) ? GetDeletedAsync(call, s[1])
                    : NotSupportedAsync(call, s);
            }

            if (s.Length == 3 && s[2].Equals("restore", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(method))
            {
                return RestoreAsync(call, s[1]);
            }
        }

        return call.ErrorAsync(400, "BadRequest", $"Resource not found for the segment '{(s.Length > 0 ? s[^1] : "directory")}'.");
    }

    private static Task NotSupportedAsync(GraphCall call, ReadOnlySpan<string> segments) =>
        call.ErrorAsync(405, "Request_BadRequest", $"Specified HTTP method is not allowed for the request target.");

    /// <summary>users/{id}, users/{upn} with #EXT# sent as %23, and users('$x@y') for UPNs starting with $.</summary>
    private static string UserKey(string segment)
    {
        if (segment.StartsWith("('", StringComparison.Ordinal) && segment.EndsWith("')", StringComparison.Ordinal))
        {
            return segment[2..^2].Replace("''", "'", StringComparison.Ordinal);
        }

        return segment;
    }

    private static Dictionary<string, string> CopyHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            if (!header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                headers[header.Key] = header.Value.ToString();
            }
        }

        return headers;
    }

    private async Task HandleControlAsync(HttpContext context, string[] segments)
    {
        var response = context.Response;
        var area = segments.Length > 1 ? segments[1].ToLowerInvariant() : string.Empty;
        if (area == "requests" && HttpMethods.IsGet(context.Request.Method))
        {
            using var buffer = new ResponseBuffer();
            using (var writer = new Utf8JsonWriter(buffer, IndentedOptions))
            {
                writer.WriteStartArray();
                foreach (var r in emulator.Requests)
                {
                    writer.WriteStartObject();
                    writer.WriteString("method", r.Method);
                    writer.WriteString("pathAndQuery", r.PathAndQuery);
                    writer.WriteNumber("status", r.StatusCode);
                    writer.WriteString("tenantId", r.TenantId);
                    writer.WriteString("fault", r.Fault);
                    writer.WriteString("timestamp", r.Timestamp);
                    writer.WriteStartObject("headers");
                    foreach (var h in r.Headers)
                    {
                        writer.WriteString(h.Key, h.Value);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            await WriteRawAsync(context, 200, "application/json; charset=utf-8", buffer.WrittenMemory).ConfigureAwait(false);
            return;
        }

        if (area == "requests" && HttpMethods.IsDelete(context.Request.Method))
        {
            emulator.ClearRequests();
            response.StatusCode = 204;
            return;
        }

        if (area == "faults" && (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsGet(context.Request.Method)))
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                try
                {
                    using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                    emulator.Faults.Apply(doc.RootElement);
                }
                catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
                {
                    var message = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = ex.Message });
                    await WriteRawAsync(context, 400, "application/json; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(message)).ConfigureAwait(false);
                    return;
                }
            }

            using var buffer = new ResponseBuffer();
            using (var writer = new Utf8JsonWriter(buffer, IndentedOptions))
            {
                emulator.Faults.WriteTo(writer);
            }

            await WriteRawAsync(context, 200, "application/json; charset=utf-8", buffer.WrittenMemory).ConfigureAwait(false);
            return;
        }

        response.StatusCode = 404;
    }

    internal static async Task WriteRawAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    internal static string FormatSeconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>One Graph request in flight: the tenant, the response helpers and the fault to apply to the body.</summary>
    internal sealed class GraphCall(HttpContext context, EmulatorRequest entry, GraphRequestHandler handler)
    {
        public HttpContext Context { get; } = context;

        public EmulatorRequest Entry { get; } = entry;

        public EmulatedTenant Tenant { get; private set; } = null!;

        public bool CutOff { get; set; }

        public string RequestId { get; } = Guid.NewGuid().ToString();

        public string ClientRequestId => Context.Request.Headers.TryGetValue("client-request-id", out var v) && v.Count > 0 ? v.ToString() : RequestId;

        /// <summary>The service root as the client reached it, e.g. http://127.0.0.1:5080/v1.0.</summary>
        public string ServiceRoot => Context.Request.Scheme + "://" + Context.Request.Host.Value + "/v1.0";

        private string? _authError;

        public bool Authenticate()
        {
            var header = Context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(header[7..]))
            {
                _authError = "Access token is empty.";
                return false;
            }

            var token = header[7..].Trim();
            var (isJwt, tid, exp) = AccessTokens.Read(token);
            if (!isJwt)
            {
                Tenant = handler.Emulator.DefaultTenant;
            }
            else if (tid is null || handler.Emulator.FindTenant(tid) is not { } tenant)
            {
                _authError = "Access token validation failure. Invalid audience.";
                return false;
            }
            else
            {
                Tenant = tenant;
            }

            if (exp is { } e && handler.Emulator.TimeProvider.GetUtcNow().ToUnixTimeSeconds() >= e)
            {
                _authError = "Lifetime validation failed, the token is expired.";
                return false;
            }

            Entry.TenantId = Tenant.Id;
            return true;
        }

        public Task UnauthorizedAsync()
        {
            Context.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
            return ErrorAsync(401, "InvalidAuthenticationToken", _authError ?? "Access token is empty.");
        }

        /// <summary>403 Authorization_RequestDenied unless the tenant has the permission.</summary>
        public bool Denied(string permission) => !Tenant.HasPermission(permission);

        public Task ForbiddenAsync() => ErrorAsync(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

        public Task ErrorAsync(int status, string code, string message)
        {
            using var buffer = new ResponseBuffer(1024);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error");
                writer.WriteString("code", code);
                writer.WriteString("message", message);
                writer.WriteStartObject("innerError");
                WriteInnerDetails(writer);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            CutOff = false;
            return SendAsync(status, buffer.WrittenMemory.ToArray());
        }

        public Task FaultStatusAsync(int status, double? retryAfterSeconds)
        {
            if (retryAfterSeconds is { } seconds)
            {
                Context.Response.Headers.RetryAfter = FormatSeconds(seconds);
            }

            if (status != 429)
            {
                var (code, message) = status switch
                {
                    500 => ("generalException", "General exception while processing."),
                    502 => ("badGateway", "Bad gateway."),
                    503 => ("serviceNotAvailable", "The service is temporarily unavailable. Please retry later."),
                    504 => ("gatewayTimeout", "The gateway timed out."),
                    _ => ("UnknownError", "The emulator injected this error."),
                };
                return ErrorAsync(status, code, message);
            }

            // Graph's published 429 body: code, innerError {code, date, message, request-id, status}, message.
            using var buffer = new ResponseBuffer(1024);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error");
                writer.WriteString("code", "TooManyRequests");
                writer.WriteStartObject("innerError");
                writer.WriteString("code", "429");
                writer.WriteString("date", Date());
                writer.WriteString("message", "Please retry after");
                writer.WriteString("request-id", RequestId);
                writer.WriteString("status", "429");
                writer.WriteEndObject();
                writer.WriteString("message", "Please retry again later.");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return SendAsync(429, buffer.WrittenMemory.ToArray());
        }

        public void WriteInnerDetails(Utf8JsonWriter writer)
        {
            writer.WriteString("date", Date());
            writer.WriteString("request-id", RequestId);
            writer.WriteString("client-request-id", ClientRequestId);
        }

        public async Task SendAsync(int status, ReadOnlyMemory<byte> body, string contentType = JsonContentType)
        {
            var response = Context.Response;
            response.StatusCode = status;
            response.Headers["request-id"] = RequestId;
            response.Headers["client-request-id"] = ClientRequestId;
            if (body.Length == 0 && status is 204)
            {
                return;
            }

            response.ContentType = contentType;
            response.ContentLength = body.Length;
            if (CutOff && status < 300 && body.Length > 1)
            {
                // Send part of the body, then drop the connection: the client sees a truncated page.
                Entry.Fault = "cutOff";
                Entry.StatusCode = status;
                await response.Body.WriteAsync(body[..(body.Length / 2)], Context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(Context.RequestAborted).ConfigureAwait(false);
                Context.Abort();
                return;
            }

            await response.Body.WriteAsync(body, Context.RequestAborted).ConfigureAwait(false);
        }

        public Task SendJsonAsync(int status, ResponseBuffer buffer) => SendAsync(status, buffer.WrittenMemory);

        public string Date() => handler.Emulator.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        public string? Query(string name)
        {
            var query = Context.Request.Query;
            if (query.TryGetValue("$" + name, out var v) || query.TryGetValue(name, out v))
            {
                return v.ToString();
            }

            return null;
        }

        public bool Eventual => Context.Request.Headers.TryGetValue("ConsistencyLevel", out var v) && v.ToString().Equals("eventual", StringComparison.OrdinalIgnoreCase);

        public bool CountRequested => Query("count") is { } c && c.Equals("true", StringComparison.OrdinalIgnoreCase);

        /// <summary>The request's query string without $skiptoken, to carry into a nextLink.</summary>
        public string QueryWithout(string name)
        {
            var raw = Context.Request.QueryString.Value;
            if (string.IsNullOrEmpty(raw))
            {
                return string.Empty;
            }

            var kept = raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p =>
                {
                    var key = Uri.UnescapeDataString(p.Split('=')[0]);
                    return !key.Equals("$" + name, StringComparison.OrdinalIgnoreCase) && !key.Equals(name, StringComparison.OrdinalIgnoreCase);
                });
            return string.Join('&', kept);
        }
    }

    internal GraphEmulator Emulator => emulator;
}
