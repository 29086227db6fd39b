using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace EntraSync.Graph.Internal;

/// <summary>
/// Sends GET requests through the SDK's request adapter as raw streams (the SDK pipeline: auth, retry, redirects)
/// and turns every failure into a <see cref="DirectoryException"/>. Only GET is ever sent.
/// </summary>
internal sealed partial class GraphTransport(GraphClientProvider clients, ILogger logger)
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.OrdinalIgnoreCase)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    public GraphClientProvider Clients => clients;

    /// <summary>A request for a nextLink or deltaLink, followed verbatim.</summary>
    public static RequestInformation ForLink(string link, bool advanced)
    {
        var info = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(link) };
        if (advanced)
        {
            // Graph does not carry request headers to the next page: re-send ConsistencyLevel on every page.
            info.Headers.Add("ConsistencyLevel", "eventual");
        }

        return info;
    }

    /// <summary>Gets the absolute URL a request will go to (for requests built from the SDK's builders).</summary>
    public static Uri ResolveUri(GraphServiceClient client, RequestInformation info)
    {
        info.PathParameters["baseurl"] = client.RequestAdapter.BaseUrl ?? "";
        return info.URI;
    }

    /// <summary>Reads one collection page, asking again when its body is cut off (nothing of it has been handed on yet).</summary>
    public async Task<GraphPage> ReadPageAsync(GraphServiceClient client, RequestInformation info, GraphPageReader reader, GraphCall call, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        EnsureGet(info);
        var attempts = Math.Max(1, clients.Options.MaxPageAttempts);
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(clients.Options.RequestTimeout);
            try
            {
                var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info, ErrorMapping, timeout.Token).ConfigureAwait(false)
                    ?? throw new GraphResponseException("the response body is empty");
                await using (stream.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (IsCutOff(ex) && attempt < attempts && !cancellationToken.IsCancellationRequested)
            {
                Log.PageCutOff(logger, attempt, attempts, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw GraphErrors.Translate(ex, call, connection);
            }
        }
    }

    /// <summary>Reads a small JSON response (organization, group, photo metadata) into a document; <see langword="null"/> for 404 when allowed.</summary>
    public Task<JsonDocument?> ReadDocumentAsync(GraphServiceClient client, RequestInformation info, GraphCall call, DirectoryConnectionOptions connection, bool notFoundIsNull, CancellationToken cancellationToken) =>
        SendAsync(client, info, call, connection, notFoundIsNull, static async (stream, ct) => (JsonDocument?)await JsonDocument.ParseAsync(stream, default, ct).ConfigureAwait(false), cancellationToken);

    /// <summary>Downloads bytes (a photo's <c>$value</c>); <see langword="null"/> for 404.</summary>
    public Task<byte[]?> ReadBytesAsync(GraphServiceClient client, RequestInformation info, GraphCall call, DirectoryConnectionOptions connection, CancellationToken cancellationToken) =>
        SendAsync(client, info, call, connection, notFoundIsNull: true, static async (stream, ct) =>
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct).ConfigureAwait(false);
            return (byte[]?)copy.ToArray();
        }, cancellationToken);

    /// <summary>One small GET with its own timeout: the body read by <paramref name="read"/>, Graph's errors translated for the admin.</summary>
    private async Task<T?> SendAsync<T>(
        GraphServiceClient client,
        RequestInformation info,
        GraphCall call,
        DirectoryConnectionOptions connection,
        bool notFoundIsNull,
        Func<Stream, CancellationToken, Task<T?>> read,
        CancellationToken cancellationToken)
        where T : class
    {
        EnsureGet(info);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(clients.Options.RequestTimeout);
        try
        {
            var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info, ErrorMapping, timeout.Token).ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            await using (stream.ConfigureAwait(false))
            {
                return await read(stream, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (ApiException ex) when (notFoundIsNull && ex.ResponseStatusCode == 404)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw GraphErrors.Translate(new GraphResponseException("the response body is not valid JSON", ex), call, connection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GraphErrors.Translate(ex, call, connection);
        }
    }

    private static bool IsCutOff(Exception exception) => exception is GraphResponseException or IOException
        || (exception is HttpRequestException http && (http.InnerException is IOException || http.HttpRequestError == HttpRequestError.ResponseEnded));

    private static void EnsureGet(RequestInformation info)
    {
        if (info.HttpMethod != Method.GET)
        {
            // The directory is read-only for this library; never let another verb through.
            throw new InvalidOperationException($"Only GET requests are sent to Microsoft Graph, not {info.HttpMethod}.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "A Microsoft Graph page was cut off (attempt {Attempt} of {Attempts}: {Reason}); asking for the same page again.")]
        public static partial void PageCutOff(ILogger logger, int attempt, int attempts, string reason);
    }
}
