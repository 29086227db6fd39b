using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph.Internal;

/// <summary>
/// The innermost handler of a Graph <see cref="HttpClient"/> (below redirects and retries, so it sees every request
/// that would reach the network): refuses any request that is not for the Graph it was built for (same scheme, host
/// and port), so neither a page's link nor a redirect takes a request or a token anywhere else; refuses any method but
/// GET except the read-only JSON batches and subscription writes <see cref="GraphWriteGuard"/> allows; and, for collection
/// pages (<see cref="GraphPageRequestOption"/>), refuses a successful answer that is not JSON or announces a body
/// larger than <see cref="GraphSourceOptions.MaxPageBytes"/>.
/// </summary>
internal sealed class GraphOriginHandler(Uri graph, long maxPageBytes) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<IRequestOption> PageKey = new(typeof(GraphPageRequestOption).FullName!);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!PagedRead.IsOnGraph(request.RequestUri, graph))
        {
            throw GraphLinkRefusedException.OffGraph(request.RequestUri?.OriginalString ?? "", graph, "a request (a link or a redirect)");
        }

        if (!GraphWriteGuard.IsAllowed(request.Method, request.RequestUri))
        {
            throw GraphWriteGuard.Refused(request);
        }

        if (GraphWriteGuard.IsBatch(request.Method, request.RequestUri))
        {
            // The address alone says nothing: a batch is read-only only if every sub-request is. The body is buffered,
            // so what is checked is what is sent (and a retry sends it again).
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!GraphWriteGuard.IsReadOnlyBatch(body))
            {
                throw GraphWriteGuard.Refused(request);
            }
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || !request.Options.TryGetValue(PageKey, out _))
        {
            return response;
        }

        var problem = response.Content.Headers.ContentType?.MediaType is { } type && !IsJson(type)
            ? new GraphResponseException($"the response is {type}, not JSON")
            : response.Content.Headers.ContentLength > maxPageBytes ? new GraphResponseTooLargeException(maxPageBytes) : null;
        if (problem is null)
        {
            return response;
        }

        response.Dispose();
        throw problem;
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Marks a request as a collection page read, for <see cref="GraphOriginHandler"/> (the SDK carries request options to the handlers, redirects included).</summary>
internal sealed class GraphPageRequestOption : IRequestOption
{
    public static readonly GraphPageRequestOption Instance = new();
}
