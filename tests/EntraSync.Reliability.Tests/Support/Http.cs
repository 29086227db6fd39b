using System.Collections.Concurrent;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>
/// The innermost HTTP handler of the Graph source (<see cref="EntraSync.Graph.GraphSourceOptions.PrimaryHandlerFactory"/>):
/// lets a test act at an exact request (arm a fault on the second page, stop the emulator, cancel the run) and records
/// every request that left the process, with its Authorization header value.
/// </summary>
public sealed class RequestHook : DelegatingHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public RequestHook(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Runs before each request is sent; may arm faults, stop the server or cancel the run.</summary>
    public Func<HttpRequestMessage, Task>? Before { get; set; }

    public IReadOnlyCollection<SentRequest> Sent => _sent;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A body (a JSON batch's) is kept so a test can check what it asked for; the Graph pipeline has buffered it already.
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _sent.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), body));
        if (Before is { } before)
        {
            await before(request);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

public sealed record SentRequest(string Method, string Url, string? Authorization, string? Body = null);

/// <summary>A handler for the credential's token requests that can make the token endpoint fail.</summary>
public sealed class TokenEndpointHook(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _failures;

    /// <summary>Gets or sets the status the token endpoint answers with instead of a token, or null to let requests through.</summary>
    public System.Net.HttpStatusCode? FailWith { get; set; }

    public int Failures => Volatile.Read(ref _failures);

    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (FailWith is { } status && request.RequestUri!.AbsolutePath.Contains("/oauth2/", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _failures);
            return new HttpResponseMessage(status)
            {
                RequestMessage = request,
                Content = new StringContent("{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS50196: The server is temporarily unavailable.\",\"error_codes\":[50196]}", System.Text.Encoding.UTF8, "application/json"),
            };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
