using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EntraSync.Reliability.Tests.BadInput;

/// <summary>
/// A fake Microsoft Graph that serves raw response bodies verbatim, for input the emulator cannot produce (a record
/// without an id, a lone surrogate, a page that is not JSON). <c>/users/delta?$deltatoken=latest</c> answers an empty
/// page with a deltaLink; <c>/users</c> serves <see cref="Pages"/> in order, linked by <c>$skiptoken</c> nextLinks
/// (each page's <c>NEXT</c> placeholder becomes the link, or the last page's link is dropped).
/// </summary>
public sealed class RawGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _authorizations = new();

    private RawGraph(WebApplication app) => _app = app;

    /// <summary>Gets or sets the raw bodies of the /users pages; change them between runs.</summary>
    public IReadOnlyList<string> Pages { get; set; } = [];

    /// <summary>
    /// Gets or sets the raw bodies a delta link (<c>$deltatoken=raw-1</c>) leads to, linked like <see cref="Pages"/>
    /// by <c>$skiptoken</c>; the last one should carry a deltaLink. Empty: the delta link answers no changes.
    /// </summary>
    public IReadOnlyList<string> DeltaPages { get; set; } = [];

    /// <summary>
    /// Gets or sets a hook that answers a <c>/users</c> page request itself (given the page index): it returns
    /// <see langword="true"/> when it wrote the response (any status, header, content type or body).
    /// </summary>
    public Func<HttpContext, int, Task<bool>>? Intercept { get; set; }

    public string GraphBaseUrl { get; private set; } = "";

    /// <summary>Method and path of every request received.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>The Authorization header of every request received that had one.</summary>
    public IReadOnlyCollection<string> Authorizations => _authorizations;

    public static async Task<RawGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var raw = new RawGraph(app);
        app.Run(raw.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        raw.GraphBaseUrl = address.TrimEnd('/') + "/v1.0";
        return raw;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(request.Method + " " + request.Path + request.QueryString);
        if (request.Headers.Authorization.Count > 0)
        {
            _authorizations.Enqueue(request.Headers.Authorization.ToString());
        }

        context.Response.ContentType = "application/json";
        var path = request.Path.Value ?? "";
        var isDelta = path.Contains("/users/delta", StringComparison.OrdinalIgnoreCase) || path.Contains("/users/microsoft.graph.delta", StringComparison.OrdinalIgnoreCase);
        if (isDelta && DeltaPages.Count > 0 && (request.Query["$deltatoken"] == "raw-1" || request.Query.ContainsKey("$skiptoken")))
        {
            var index = int.TryParse(request.Query["$skiptoken"], out var d) ? d : 0;
            await context.Response.WriteAsync(Link(DeltaPages, index, "users/delta"));
            return;
        }

        if (isDelta)
        {
            await context.Response.WriteAsync($$"""{"@odata.context":"{{GraphBaseUrl}}/$metadata#users","value":[],"@odata.deltaLink":"{{GraphBaseUrl}}/users/delta?$deltatoken=raw-1"}""");
            return;
        }

        if (path.EndsWith("/users", StringComparison.OrdinalIgnoreCase))
        {
            var index = int.TryParse(request.Query["$skiptoken"], out var i) ? i : 0;
            if (Intercept is { } intercept && await intercept(context, index))
            {
                return;
            }

            await context.Response.WriteAsync(Link(Pages, index, "users"));
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("""{"error":{"code":"Request_ResourceNotFound","message":"Not served by the raw fake."}}""");
    }

    /// <summary>Gets the link to page <paramref name="index"/> of <c>/users</c>, as the fake writes it into <c>NEXT</c>.</summary>
    public string PageLink(int index) => $"{GraphBaseUrl}/users?$skiptoken={index}";

    private string Link(IReadOnlyList<string> pages, int index, string path)
    {
        var body = pages[Math.Min(index, pages.Count - 1)];
        return index + 1 < pages.Count
            ? body.Replace("NEXT", $"{GraphBaseUrl}/{path}?$skiptoken={index + 1}", StringComparison.Ordinal)
            : body.Replace(",\"@odata.nextLink\":\"NEXT\"", "", StringComparison.Ordinal);
    }
}
