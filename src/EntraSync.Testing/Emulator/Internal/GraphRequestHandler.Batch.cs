using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>
/// JSON batching, as Graph does it: <c>POST /v1.0/$batch</c> with up to 20 requests, each answered on its own in
/// <c>responses</c> (id, status, headers, body; a JSON body as JSON, any other body base64-encoded). Faults are decided
/// per sub-request too (status only: a sub-request cannot be cut off or reset), so a batch can hold a 429 with its own
/// <c>Retry-After</c> beside answers; latency is added once, to the batch.
/// </summary>
internal sealed partial class GraphRequestHandler
{
    private const int MaxBatchRequests = 20;

    private async Task BatchAsync(GraphCall call)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await call.ErrorAsync(400, "BadRequest", "Invalid batch payload format.").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
            {
                await call.ErrorAsync(400, "BadRequest", "Invalid batch payload format.").ConfigureAwait(false);
                return;
            }

            if (requests.GetArrayLength() is 0 or > MaxBatchRequests)
            {
                await call.ErrorAsync(400, "BadRequest", $"Number of requests in a batch must be between 1 and {MaxBatchRequests}.").ConfigureAwait(false);
                return;
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var request in requests.EnumerateArray())
            {
                if (request.ValueKind != JsonValueKind.Object
                    || !request.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || !ids.Add(id.GetString()!)
                    || !request.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String
                    || !request.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    await call.ErrorAsync(400, "BadRequest", "Each request in a batch needs a unique id, a method and a url.").ConfigureAwait(false);
                    return;
                }
            }

            using var buffer = new ResponseBuffer();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("responses");
                foreach (var request in requests.EnumerateArray())
                {
                    await WriteSubResponseAsync(call, request, writer).ConfigureAwait(false);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one sub-request through the same dispatch as a request of its own and writes its answer.</summary>
    private async Task WriteSubResponseAsync(GraphCall batch, JsonElement request, Utf8JsonWriter writer)
    {
        var outer = batch.Context.Request;
        var relative = request.GetProperty("url").GetString()!;
        var method = request.GetProperty("method").GetString()!.ToUpperInvariant();
        var queryAt = relative.IndexOf('?', StringComparison.Ordinal);
        var path = "/v1.0/" + (queryAt < 0 ? relative : relative[..queryAt]).TrimStart('/');
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = outer.Scheme;
        context.Request.Host = outer.Host;
        context.Request.Path = new PathString(Uri.UnescapeDataString(path));
        context.Request.QueryString = queryAt < 0 ? QueryString.Empty : new QueryString(relative[queryAt..]);
        context.Request.Headers.Authorization = outer.Headers.Authorization;
        if (request.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                context.Request.Headers[header.Name] = header.Value.ToString();
            }
        }

        if (request.TryGetProperty("body", out var body))
        {
            context.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(body));
            context.Request.ContentType ??= "application/json";
        }

        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var entry = new EmulatorRequest(method, path + context.Request.QueryString.ToUriComponent(), new Dictionary<string, string>(), null, emulator.TimeProvider.GetUtcNow());
        var call = new GraphCall(context, entry, this);
        try
        {
            var fault = emulator.Faults.Decide(entry.PathAndQuery);
            if (fault.Status is { } status)
            {
                await call.FaultStatusAsync(status, fault.RetryAfterSeconds).ConfigureAwait(false);
            }
            else if (!call.Authenticate())
            {
                await call.UnauthorizedAsync().ConfigureAwait(false);
            }
            else if (path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var first, ..] && first == "$batch")
            {
                await call.ErrorAsync(400, "BadRequest", "A batch cannot hold a batch.").ConfigureAwait(false);
            }
            else
            {
                await DispatchGraphAsync(call, path.Split('/', StringSplitOptions.RemoveEmptyEntries).AsMemory(1)).ConfigureAwait(false);
            }
        }
        catch (GraphQueryException ex)
        {
            await call.ErrorAsync(ex.Status, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            await call.ErrorAsync(400, "BadRequest", "Unable to read JSON request payload.").ConfigureAwait(false);
        }

        var response = context.Response;
        writer.WriteStartObject();
        writer.WriteString("id", request.GetProperty("id").GetString());
        writer.WriteNumber("status", response.StatusCode);
        writer.WriteStartObject("headers");
        foreach (var header in response.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                writer.WriteString(header.Key, header.Value.ToString());
            }
        }

        writer.WriteEndObject();
        var bytes = responseBody.ToArray();
        if (bytes.Length > 0)
        {
            writer.WritePropertyName("body");
            if (response.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase)))
            {
                writer.WriteRawValue(bytes, skipInputValidation: true);
            }
            else
            {
                // Graph's rule for a body that is not JSON (a photo's $value): base64 text.
                writer.WriteBase64StringValue(bytes);
            }
        }

        writer.WriteEndObject();
    }
}
