using Microsoft.Graph;

namespace EntraSync.Graph.Internal;

/// <summary>
/// The pages of one directory read and the links between them: a link is followed only to the configured Microsoft
/// Graph (same scheme, host and port as <c>Connection:GraphBaseUrl</c>), never twice in one read (a loop), and never
/// past <see cref="GraphSourceOptions.MaxPagesPerRead"/>. Each rule ends the read as incomplete instead of sending a
/// token elsewhere or hanging. One instance serves one read; it is not thread-safe.
/// </summary>
internal sealed class PagedRead
{
    private readonly HashSet<string> _requested = new(StringComparer.Ordinal);
    private readonly int _maxPages;
    private int _pages;

    public PagedRead(GraphServiceClient client, int maxPages)
    {
        Graph = new Uri(client.RequestAdapter.BaseUrl ?? throw new InvalidOperationException("The Graph client has no base URL."));
        _maxPages = maxPages;
    }

    /// <summary>Gets the configured Graph base URL the links must stay on.</summary>
    public Uri Graph { get; }

    /// <summary>Gets how many pages this read has asked for.</summary>
    public int Pages => _pages;

    /// <summary>Gets whether <paramref name="link"/> is an absolute URL on the same scheme, host and port as <paramref name="graph"/>.</summary>
    public static bool IsOnGraph(string? link, Uri graph) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && IsOnGraph(uri, graph);

    /// <inheritdoc cref="IsOnGraph(string?, Uri)"/>
    public static bool IsOnGraph(Uri? uri, Uri graph) =>
        uri is { IsAbsoluteUri: true }
        && string.Equals(uri.Scheme, graph.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, graph.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == graph.Port;

    /// <summary>Describes where a link points, for messages: its scheme, host and port, never its query (which may hold tokens).</summary>
    public static string Origin(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : $"'{Shorten(link)}' (not an absolute URL)";

    /// <summary>
    /// Gets whether a page's link may be asked for ahead of time: on Graph, not already asked for in this read, and
    /// within the page limit (a request past it is never sent, not even ahead of time).
    /// </summary>
    public bool MayPrefetch(string link) => IsOnGraph(link, Graph) && !_requested.Contains(link) && _pages < _maxPages;

    /// <summary>Checks a request before it is sent: on Graph, not already asked for in this read, and within the page limit.</summary>
    /// <exception cref="GraphLinkRefusedException">The request breaks one of the rules.</exception>
    public void Asking(Uri uri)
    {
        if (!IsOnGraph(uri, Graph))
        {
            throw GraphLinkRefusedException.OffGraph(uri.OriginalString, Graph);
        }

        if (!_requested.Add(uri.OriginalString))
        {
            throw GraphLinkRefusedException.Loop(uri);
        }

        if (++_pages > _maxPages)
        {
            throw new GraphLinkRefusedException($"the read went past {_maxPages:N0} pages (GraphSourceOptions.MaxPagesPerRead); raise it if the tenant really is that large");
        }
    }

    /// <summary>Checks the links a page gives before anything follows or saves them.</summary>
    /// <exception cref="GraphLinkRefusedException">A link points off Graph or back to a page already read.</exception>
    public void Read(GraphPage page)
    {
        if (page.NextLink is { } next)
        {
            if (!IsOnGraph(next, Graph))
            {
                throw GraphLinkRefusedException.OffGraph(next, Graph);
            }

            if (_requested.Contains(next))
            {
                throw GraphLinkRefusedException.Loop(new Uri(next));
            }
        }

        if (page.DeltaLink is { } delta && !IsOnGraph(delta, Graph))
        {
            throw GraphLinkRefusedException.OffGraph(delta, Graph, "the delta link for the next run");
        }
    }

    private static string Shorten(string? text) => text is { Length: > 80 } ? text[..80] + "..." : text ?? "";
}

/// <summary>A link or request that breaks the paging rules (off Graph, a loop, too many pages): not followed, not retried.</summary>
internal sealed class GraphLinkRefusedException(string message) : Exception(message)
{
    public static GraphLinkRefusedException Loop(Uri link) =>
        new($"the next-page link {link.AbsolutePath} leads back to a page already read in this read (a loop)");

    public static GraphLinkRefusedException OffGraph(string link, Uri graph, string what = "a link") =>
        new($"{what} points to {PagedRead.Origin(link)}, which is not the configured Microsoft Graph {graph.GetLeftPart(UriPartial.Authority)} (Connection:GraphBaseUrl); it was not followed and no token was sent to it");
}
