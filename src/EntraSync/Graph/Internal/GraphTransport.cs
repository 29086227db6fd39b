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

    /// <summary>
    /// A request for a nextLink or deltaLink, followed verbatim once <see cref="PagedRead"/> has checked it (the
    /// request stays on the configured Graph: <see cref="GraphOriginHandler"/> refuses anything else).
    /// </summary>
    public static RequestInformation ForLink(string link, bool advanced)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            throw new GraphLinkRefusedException($"a link points to {PagedRead.Origin(link)}");
        }

        var info = new RequestInformation { HttpMethod = Method.GET, URI = uri };
        info.AddRequestOptions([GraphPageRequestOption.Instance]);
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

    /// <summary>
    /// Creates the prefetch for one paged read on <c>client</c>: pass it to every <see cref="ReadPageAsync"/> of that
    /// read and dispose it when the read ends. <c>advanced</c>: whether the read's links need the advanced-query
    /// header (as for <see cref="ForLink"/>).
    /// </summary>
    public PagePrefetch Prefetch(GraphServiceClient client, bool advanced) => new(client, advanced, clients.Options.RequestTimeout);

    /// <summary>Starts one paged directory read on <paramref name="client"/>: pass it to every <see cref="ReadPageAsync"/> of the read.</summary>
    public PagedRead StartRead(GraphServiceClient client) => new(client, clients.Options.MaxPagesPerRead);

    /// <summary>
    /// Reads one collection page, asking again when its body is cut off (nothing of it has been handed on yet). With a
    /// <see cref="PagePrefetch"/>, the next page's request is sent as soon as this page's <c>@odata.nextLink</c> has
    /// been read, and a request the prefetch already sent for <c>info</c> is used instead of sending it again.
    /// Only a well-formed page is returned (see <see cref="GraphPageReader"/>), and only one whose request and links
    /// keep to the rules of <paramref name="read"/>; anything else ends the read with a <see cref="DirectoryException"/>.
    /// </summary>
    public async Task<GraphPage> ReadPageAsync(GraphServiceClient client, RequestInformation info, GraphPageReader reader, GraphCall call, DirectoryConnectionOptions connection, PagedRead read, CancellationToken cancellationToken, PagePrefetch? prefetch = null)
    {
        EnsureGet(info);
        info.AddRequestOptions([GraphPageRequestOption.Instance]);
        var uri = ResolveUri(client, info);
        call = call with { Path = uri.AbsolutePath };
        try
        {
            read.Asking(uri);
        }
        catch (GraphLinkRefusedException ex)
        {
            throw GraphErrors.Translate(ex, call, connection);
        }

        reader.MaxPageBytes = clients.Options.MaxPageBytes;
        var attempts = Math.Max(1, clients.Options.MaxPageAttempts);
        var sent = prefetch?.Take(info);
        for (var attempt = 1; ; attempt++)
        {
            var timeout = sent?.Timeout ?? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (sent is null)
            {
                timeout.CancelAfter(clients.Options.RequestTimeout);
            }

            try
            {
                var response = sent?.Response ?? client.RequestAdapter.SendPrimitiveAsync<Stream>(info, ErrorMapping, timeout.Token);
                sent = null;
                var stream = await response.ConfigureAwait(false) ?? throw new GraphResponseException("the response body is empty");
                await using (stream.ConfigureAwait(false))
                {
                    reader.NextLinkFound = prefetch is null ? null : link => prefetch.Start(link, read, cancellationToken);
                    var page = await reader.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
                    read.Read(page);
                    return page;
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
            finally
            {
                reader.NextLinkFound = null;
                timeout.Dispose();
            }
        }
    }

    /// <summary>
    /// The next page's request of a paged read, sent as soon as the current page's <c>@odata.nextLink</c> is known
    /// (Graph writes it before <c>value</c> on <c>/users</c> and member lists), so waiting for the next page overlaps
    /// parsing the current one and handing it on, instead of following it. At most one request is sent ahead.
    /// </summary>
    internal sealed class PagePrefetch(GraphServiceClient client, bool advanced, TimeSpan requestTimeout) : IDisposable
    {
        private Sent? _sent;

        /// <summary>Sends the request for <paramref name="link"/> unless it is already on its way or <paramref name="read"/> would not follow it.</summary>
        public void Start(string link, PagedRead read, CancellationToken cancellationToken)
        {
            if (!read.MayPrefetch(link))
            {
                // Never sent; the page's check ends the read with the reason.
                return;
            }

            if (_sent is not null)
            {
                if (string.Equals(_sent.Link, link, StringComparison.Ordinal))
                {
                    return;
                }

                Discard();
            }

            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(requestTimeout);
            _sent = new Sent(link, client.RequestAdapter.SendPrimitiveAsync<Stream>(ForLink(link, advanced), ErrorMapping, timeout.Token), timeout);
        }

        /// <summary>Takes the request already sent for <paramref name="info"/>, if any; its owner disposes <see cref="Sent.Timeout"/>.</summary>
        public Sent? Take(RequestInformation info)
        {
            if (_sent is null)
            {
                return null;
            }

            if (!string.Equals(ResolveUri(client, info).OriginalString, _sent.Link, StringComparison.Ordinal))
            {
                Discard();
                return null;
            }

            var sent = _sent;
            _sent = null;
            return sent;
        }

        /// <summary>Cancels a request nobody took and releases its response.</summary>
        public void Dispose() => Discard();

        private void Discard()
        {
            if (_sent is not { } sent)
            {
                return;
            }

            _sent = null;
            sent.Timeout.Cancel();
            _ = sent.Response.ContinueWith(
                static (task, state) =>
                {
                    if (task.IsCompletedSuccessfully)
                    {
                        task.Result?.Dispose();
                    }

                    ((CancellationTokenSource)state!).Dispose();
                    _ = task.Exception; // observed: a cancelled or failed request nobody needs
                },
                sent.Timeout,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        /// <summary>A request sent ahead: the link, the response on its way, and its timeout (cancelled when discarded).</summary>
        internal sealed record Sent(string Link, Task<Stream?> Response, CancellationTokenSource Timeout);
    }

    /// <summary>Reads a small JSON response (organization, group, photo metadata) into a document; <see langword="null"/> for 404 when allowed.</summary>
    public Task<JsonDocument?> ReadDocumentAsync(GraphServiceClient client, RequestInformation info, GraphCall call, DirectoryConnectionOptions connection, bool notFoundIsNull, CancellationToken cancellationToken) =>
        SendAsync(client, info, call, connection, notFoundIsNull, async (stream, ct) => (JsonDocument?)JsonDocument.Parse(await ReadAllAsync(stream, clients.Options.MaxPageBytes, "GraphSourceOptions.MaxPageBytes", ct).ConfigureAwait(false)), cancellationToken);

    /// <summary>Downloads bytes (a photo's <c>$value</c>, at most <see cref="GraphSourceOptions.MaxPhotoBytes"/>); <see langword="null"/> for 404.</summary>
    public Task<byte[]?> ReadBytesAsync(GraphServiceClient client, RequestInformation info, GraphCall call, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var limit = call.Operation == GraphOperation.ReadPhoto ? clients.Options.MaxPhotoBytes : clients.Options.MaxPageBytes;
        var option = call.Operation == GraphOperation.ReadPhoto ? "GraphSourceOptions.MaxPhotoBytes" : "GraphSourceOptions.MaxPageBytes";
        return SendAsync(client, info, call, connection, notFoundIsNull: true, async (stream, ct) => (byte[]?)await ReadAllAsync(stream, limit, option, ct).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>Reads a whole body, refusing one bigger than <paramref name="limit"/> as it arrives (never holding more than the limit).</summary>
    internal static async Task<byte[]> ReadAllAsync(Stream stream, long limit, string option, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > limit)
                {
                    throw new GraphResponseTooLargeException(limit, option);
                }

                copy.Write(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return copy.ToArray();
    }

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

    private static bool IsCutOff(Exception exception) => (exception is GraphResponseException and not GraphResponseTooLargeException) || exception is IOException
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
