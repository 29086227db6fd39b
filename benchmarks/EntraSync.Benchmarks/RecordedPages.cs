using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace EntraSync.Benchmarks;

/// <summary>
/// The emulator's pages, recorded once and then served from memory, so a benchmark measures what the client does with
/// the same bytes (SDK pipeline, parsing, allocation) rather than how fast the emulator renders them.
/// </summary>
internal sealed class RecordedPages
{
    private readonly ConcurrentDictionary<string, byte[]> _pages = new(StringComparer.Ordinal);

    public int Count => _pages.Count;

    public long Bytes => _pages.Values.Sum(p => (long)p.Length);

    /// <summary>A handler that forwards to the emulator and keeps every body it returns.</summary>
    public HttpMessageHandler Recorder() => new RecordingHandler(this) { InnerHandler = new SocketsHttpHandler() };

    /// <summary>A handler that answers from the recorded bodies only.</summary>
    public HttpMessageHandler Replayer() => new ReplayHandler(this);

    private static HttpContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private sealed class RecordingHandler(RecordedPages pages) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                pages._pages[request.RequestUri!.AbsoluteUri] = body;
            }

            response.Content = Json(body);
            return response;
        }
    }

    private sealed class ReplayHandler(RecordedPages pages) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(pages._pages.TryGetValue(request.RequestUri!.AbsoluteUri, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = Json(body), RequestMessage = request }
                : throw new InvalidOperationException($"Not recorded: {request.RequestUri}"));
    }
}
