using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph.Internal;

/// <summary>One GET inside a JSON batch: its id (unique in the batch) and its URL relative to the version root (<c>/users/...</c>).</summary>
internal readonly record struct GraphBatchRequest(string Id, string Url);

/// <summary>One sub-response of a JSON batch, matched to its request by id: status, headers, and the body (a copy, or undefined when absent).</summary>
internal sealed class GraphBatchResponse(int status, Dictionary<string, string> headers, JsonElement body)
{
    public int Status => status;

    public JsonElement Body => body;

    public string? Header(string name) => headers.GetValueOrDefault(name);

    /// <summary>Translates an error sub-response for the admin, as a whole response with that status would be.</summary>
    public DirectoryException ToError(GraphCall call, DirectoryConnectionOptions connection)
    {
        string? code = null, message = null, requestId = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            code = Text(error, "code");
            message = Text(error, "message");
            if (error.TryGetProperty("innerError", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                requestId = Text(inner, "request-id");
            }
        }

        return GraphErrors.FromGraph(status, code, message, requestId, call, connection, new GraphResponseException($"a batch sub-request to {call.Path} answered {status}"));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Microsoft Graph JSON batching (<c>POST /$batch</c>, at most 20 GETs under <c>/users/</c>; see
/// <see cref="GraphWriteGuard"/>): one round trip for many small reads such as photos. Graph answers each sub-request
/// on its own, so each is handled on its own: a throttled or unavailable one (429, 503, 504, 502, 500) is asked again
/// after its own <c>Retry-After</c> (on the <see cref="TimeProvider"/>), the others are returned as they are. The
/// response is trusted only when well-formed: JSON, a <c>responses</c> list whose every item has a known, unseen id and
/// a status; anything else (HTML, cut short, ids missing or foreign) is asked for again, then fails.
/// </summary>
internal sealed partial class GraphTransport
{
    /// <summary>
    /// Sends the GETs in one batch (asking again for those throttled or left unanswered) and returns each one's final
    /// sub-response by id. Throws a <see cref="DirectoryException"/> when the batch itself fails.
    /// </summary>
    public async Task<Dictionary<string, GraphBatchResponse>> SendBatchAsync(
        GraphServiceClient client,
        IReadOnlyList<GraphBatchRequest> requests,
        GraphCall call,
        DirectoryConnectionOptions connection,
        long maxResponseBytes,
        CancellationToken cancellationToken)
    {
        var options = clients.Options;
        var time = clients.Time;
        var pending = new Dictionary<string, GraphBatchRequest>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            pending.Add(request.Id, request);
        }

        var results = new Dictionary<string, GraphBatchResponse>(requests.Count, StringComparer.Ordinal);
        call = call with { Path = "/$batch" };
        var faults = 0;
        var retries = 0;
        while (pending.Count > 0)
        {
            List<JsonElement>? items = null;
            JsonDocument? document = null;
            try
            {
                document = await SendBatchOnceAsync(client, pending.Values, maxResponseBytes, cancellationToken).ConfigureAwait(false);
                items = ReadResponses(document.RootElement, pending);
            }
            catch (Exception ex) when (IsCutOff(ex) && ++faults < Math.Max(1, options.MaxPageAttempts) && !cancellationToken.IsCancellationRequested)
            {
                document?.Dispose();
                Log.BatchFault(logger, faults, options.MaxPageAttempts, ex.Message);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                document?.Dispose();
                throw GraphErrors.Translate(ex, call, connection);
            }

            using (document)
            {
                var wait = TimeSpan.Zero;
                var again = 0;
                var answeredAt = time.GetTimestamp();
                foreach (var item in items)
                {
                    var id = item.GetProperty("id").GetString()!;
                    var response = ToResponse(item);
                    if (GraphRetryHandler.IsRetryable((HttpStatusCode)response.Status) && retries < options.MaxRetries)
                    {
                        var delay = GraphRetryHandler.ParseRetryAfter(response.Header("Retry-After"), time.GetUtcNow()) ?? GraphRetryHandler.Backoff(options, retries + 1);
                        if (delay <= options.MaxRetryDelay)
                        {
                            // Stays pending: asked again in the next batch.
                            wait = delay > wait ? delay : wait;
                            again++;
                            continue;
                        }
                    }

                    results[id] = response;
                    pending.Remove(id);
                }

                if (pending.Count > again)
                {
                    // Well-formed, but some sub-requests went unanswered: ask for them again, a bounded number of times.
                    if (++faults >= Math.Max(1, options.MaxPageAttempts))
                    {
                        throw GraphErrors.Translate(new GraphResponseException($"the batch response left {pending.Count - again} of its requests unanswered"), call, connection);
                    }

                    Log.BatchFault(logger, faults, options.MaxPageAttempts, $"{pending.Count - again} sub-requests unanswered");
                }

                if (again > 0)
                {
                    retries++;
                    Log.BatchRetrying(logger, again, retries, wait.TotalSeconds);
                    for (var left = wait; left > TimeSpan.Zero; left = wait - time.GetElapsedTime(answeredAt))
                    {
                        await Task.Delay(left, time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        return results;
    }

    /// <summary>Gets the relative URL of a user's photo metadata (<c>/photo</c>, or <c>/photos/{size}</c>) or, with <paramref name="value"/>, bytes.</summary>
    public static string PhotoUrl(string userId, string? size, bool value) =>
        "/users/" + Uri.EscapeDataString(userId) + (string.IsNullOrWhiteSpace(size) ? "/photo" : "/photos/" + Uri.EscapeDataString(size.Trim())) + (value ? "/$value" : "");

    private async Task<JsonDocument> SendBatchOnceAsync(GraphServiceClient client, IEnumerable<GraphBatchRequest> requests, long maxResponseBytes, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests");
            foreach (var request in requests)
            {
                writer.WriteStartObject();
                writer.WriteString("id", request.Id);
                writer.WriteString("method", "GET");
                writer.WriteString("url", request.Url);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        body.Position = 0;
        var info = new RequestInformation { HttpMethod = Method.POST, URI = new Uri(client.RequestAdapter.BaseUrl + "/$batch") };
        info.SetStreamContent(body, "application/json");

        // Marked as a page: the innermost handler refuses a 2xx that is not JSON (a proxy's HTML page).
        info.AddRequestOptions([GraphPageRequestOption.Instance]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(clients.Options.RequestTimeout);
        var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info, ErrorMapping, timeout.Token).ConfigureAwait(false)
            ?? throw new GraphResponseException("the batch response body is empty");
        await using (stream.ConfigureAwait(false))
        {
            var bytes = await ReadAllAsync(stream, maxResponseBytes, "GraphSourceOptions.MaxPhotoBytes", timeout.Token).ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                throw new GraphResponseException("the batch response is not valid JSON (cut short?)", ex);
            }
        }
    }

    /// <summary>
    /// Checks a batch response: an object with a <c>responses</c> list whose every item is an object with a text
    /// <c>id</c> of a request still pending (each at most once) and a numeric <c>status</c>. Anything else is a fault.
    /// </summary>
    private static List<JsonElement> ReadResponses(JsonElement root, Dictionary<string, GraphBatchRequest> pending)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("responses", out var responses) || responses.ValueKind != JsonValueKind.Array)
        {
            throw new GraphResponseException("the batch response has no 'responses' list");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<JsonElement>(responses.GetArrayLength());
        foreach (var item in responses.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Number || !status.TryGetInt32(out var code) || code is < 100 or > 599)
            {
                throw new GraphResponseException("a batch sub-response has no id or status");
            }

            var text = id.GetString()!;
            if (!pending.ContainsKey(text) || !seen.Add(text))
            {
                // Never guess whose answer this is: an unknown or repeated id makes the whole response untrustworthy.
                throw new GraphResponseException($"the batch response answers a request that was not asked (id '{text}') or answers one twice");
            }

            items.Add(item);
        }

        return items;
    }

    private static GraphBatchResponse ToResponse(JsonElement item)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (item.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in h.EnumerateObject())
            {
                if (header.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    headers[header.Name] = header.Value.ToString();
                }
            }
        }

        var body = item.TryGetProperty("body", out var b) ? b.Clone() : default;
        return new GraphBatchResponse(item.GetProperty("status").GetInt32(), headers, body);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "A Microsoft Graph batch response could not be trusted (attempt {Attempt} of {Attempts}: {Reason}); asking again.")]
        public static partial void BatchFault(ILogger logger, int attempt, int attempts, string reason);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Microsoft Graph throttled {Count} requests of a batch; retry {Attempt} in {DelaySeconds:0.###} s.")]
        public static partial void BatchRetrying(ILogger logger, int count, int attempt, double delaySeconds);
    }
}
