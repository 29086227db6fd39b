// The C# blocks of docs/change-notifications.md, compiled.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

public static class ChangeNotificationsSnippets
{
    public static void TurnOn(WebApplicationBuilder builder)
    {
        builder.Services.AddEntraUserSync(builder.Configuration.GetSection("EntraSync"))
            .AddEntityFrameworkCoreStore<AppDbContext>()
            .AddEntityFrameworkCoreChangeSubscriptionStore<AppDbContext>()   // shared by every instance; optional
            .AddChangeNotifications(builder.Configuration.GetSection("EntraSync:ChangeNotifications"));

        var app = builder.Build();
        app.MapEntraSyncNotifications("/entrasync/notifications");           // and /entrasync/notifications/lifecycle
    }
}
