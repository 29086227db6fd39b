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

    private RawGraph(WebApplication app) => _app = app;

    /// <summary>Gets or sets the raw bodies of the /users pages; change them between runs.</summary>
    public IReadOnlyList<string> Pages { get; set; } = [];

    public string GraphBaseUrl { get; private set; } = "";

    /// <summary>Method and path of every request received.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

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
        context.Response.ContentType = "application/json";
        var path = request.Path.Value ?? "";
        if (path.Contains("/users/delta", StringComparison.OrdinalIgnoreCase) || path.Contains("/users/microsoft.graph.delta", StringComparison.OrdinalIgnoreCase))
        {
            await context.Response.WriteAsync($$"""{"@odata.context":"{{GraphBaseUrl}}/$metadata#users","value":[],"@odata.deltaLink":"{{GraphBaseUrl}}/users/delta?$deltatoken=raw-1"}""");
            return;
        }

        if (path.EndsWith("/users", StringComparison.OrdinalIgnoreCase))
        {
            var index = int.TryParse(request.Query["$skiptoken"], out var i) ? i : 0;
            var body = Pages[index];
            body = index + 1 < Pages.Count
                ? body.Replace("NEXT", $"{GraphBaseUrl}/users?$skiptoken={index + 1}", StringComparison.Ordinal)
                : body.Replace(",\"@odata.nextLink\":\"NEXT\"", "", StringComparison.Ordinal);
            await context.Response.WriteAsync(body);
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("""{"error":{"code":"Request_ResourceNotFound","message":"Not served by the raw fake."}}""");
    }
}
