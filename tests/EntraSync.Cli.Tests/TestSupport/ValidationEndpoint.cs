using System.Net;
using System.Text;
using EntraSync.Tests.Shared;

namespace EntraSync.Cli.Tests.TestSupport;

/// <summary>
/// A host's notification URL as far as Graph's validation request goes: echoes <c>validationToken</c> as text/plain and
/// accepts notifications, on 127.0.0.1 and a free port. Stops when disposed.
/// </summary>
internal sealed class ValidationEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public ValidationEndpoint()
    {
        var port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/entrasync/notifications";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (context.Request.QueryString["validationToken"] is { } token)
            {
                var body = Encoding.UTF8.GetBytes(token);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 202;
            }

            context.Response.Close();
        }
    }
}
