using EntraSync.AspNetCore.ChangeNotifications.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint Microsoft Graph posts change notifications to.</summary>
public static class NotificationEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST {pattern}</c> for change notifications and <c>POST {pattern}/lifecycle</c> for lifecycle notifications.
    /// Both answer Graph's validation request (the <c>validationToken</c> echoed as <c>text/plain</c>), answer a
    /// notification with <c>202 Accepted</c> at once and handle it afterwards: a notification whose client state does not
    /// match its subscription's is dropped and counted (<c>entrasync.notifications.received</c>, <c>outcome=forged</c>);
    /// one for an unknown subscription or a tenant with notifications off does nothing; the others trigger one incremental
    /// sync per tenant after <c>ChangeNotifications:Debounce</c> (default 3 seconds), however many arrive.
    /// <c>reauthorizationRequired</c> renews the subscription, <c>subscriptionRemoved</c> re-creates it.
    /// Needs <c>AddEntraUserSync().AddChangeNotifications()</c>. The endpoints allow anonymous callers (Graph sends no
    /// token); the client state is what proves a notification comes from Graph.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the app).</param>
    /// <param name="pattern">The route.</param>
    /// <returns>The endpoints' convention builder (to add rate limiting, host filtering...).</returns>
    public static IEndpointConventionBuilder MapEntraSyncNotifications(this IEndpointRouteBuilder endpoints, string pattern = "/entrasync/notifications")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var services = endpoints.ServiceProvider;
        if (services.GetService<EntraSync.ChangeNotifications.ChangeSubscriptionManager>() is null)
        {
            throw new InvalidOperationException("MapEntraSyncNotifications needs change notifications registered: call services.AddEntraUserSync(...).AddChangeNotifications(...) first.");
        }

        var processor = ActivatorUtilities.CreateInstance<NotificationProcessor>(services);
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() => processor.DisposeAsync().AsTask().GetAwaiter().GetResult());

        var group = endpoints.MapGroup(pattern);
        group.MapPost("/", (HttpContext context) => processor.ReceiveAsync(context, lifecycle: false));
        group.MapPost("/lifecycle", (HttpContext context) => processor.ReceiveAsync(context, lifecycle: true));
        group.AllowAnonymous();
        return group;
    }
}
