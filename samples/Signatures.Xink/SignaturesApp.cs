using System.Security.Cryptography;
using EntraSync;
using EntraSync.ChangeNotifications;
using EntraSync.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink;

/// <summary>Builds the web app. Program.cs runs it; the browser tests start it on a free port with their own database.</summary>
public static class SignaturesApp
{
    /// <summary>The product has one customer account in this sample; a real product has one per customer.</summary>
    public const string AccountId = "contoso";

    /// <summary>The "reports to" field the sample adds to EntraSync's default field set: the manager's display name.</summary>
    public static readonly FieldMapping ReportsTo = new() { Name = "Reports To", Source = "manager/displayName" };

    /// <param name="args">The command line.</param>
    /// <param name="configureServices">Runs after the sample's own registrations (tests use it to replace the clock).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SignaturesApp).Assembly.GetName().Name,   // finds the pages when hosted by tests
        });

        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddRazorPages();
        builder.Services.AddDbContext<SignaturesDb>(options =>
            options.UseSqlite(builder.Configuration.GetConnectionString("Signatures") ?? "Data Source=signatures.db"));

        // EntraSync: the engine reads Microsoft Graph, stores employees in SQLite, and asks us for each account's profile.
        builder.Services.AddEntraUserSync()
            .AddEntityFrameworkCoreStore<SignaturesDb>()
            .AddProfileProvider<IntegrationProfileProvider>()
            .AddChangeNotifications();   // live updates: Graph posts changes to MapEntraSyncNotifications below

        // Live updates are on with a public HTTPS address (ChangeNotifications:NotificationUrl) or with the demo tenant,
        // which posts to this app's loopback address; LiveUpdates decides as the connection changes.
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddSingleton<IConfigureOptions<ChangeNotificationOptions>>(sp => sp.GetRequiredService<LiveUpdates>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<ChangeNotificationOptions>>(sp => sp.GetRequiredService<LiveUpdates>());

        // "Link Azure AD Account" signs its state with this key; set EntraApp:ConsentSigningKey (base64, 32 bytes or
        // more) in user secrets so every instance, and a restart, accepts the same links. Without it each start makes one.
        builder.Services.AddSingleton(sp => new AdminConsentVerifier(ConsentSigningKey(builder.Configuration), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IntegrationProfileProvider>();
        builder.Services.AddSingleton<DemoTenant>();
        builder.Services.AddSingleton<AccountSync>();
        builder.Services.AddSingleton<SyncRuns>();
        builder.Services.AddSingleton<ScheduledSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledSync>());

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            // A sample creates its schema directly; a product uses EF Core migrations.
            var db = scope.ServiceProvider.GetRequiredService<SignaturesDb>();
            db.Database.EnsureCreated();
            Seed(db);
        }

        app.MapRazorPages();
        app.MapGet("/employees/{id:guid}/photo", async (Guid id, SignaturesDb db, CancellationToken cancellationToken) =>
            await db.Employees.FindAsync([id], cancellationToken) is { Photo: { } photo } ? Results.File(photo, "image/jpeg") : Results.NotFound());
        app.MapGet("/sync/status", SyncStatus.GetAsync);   // polled by the dashboard: a running sync, and runs a change started
        app.MapEntraSyncNotifications(LiveUpdates.Path);     // Graph's change notifications (EntraSync.AspNetCore)
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<LiveUpdates>().Started());
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("Signatures sample: open {Urls} (demo tenant unless credentials are configured)", string.Join(", ", app.Urls)));
        return app;
    }

    private static byte[] ConsentSigningKey(IConfiguration configuration) =>
        configuration["EntraApp:ConsentSigningKey"] is { Length: > 0 } key ? Convert.FromBase64String(key) : RandomNumberGenerator.GetBytes(32);

    private static void Seed(SignaturesDb db)
    {
        if (db.Integrations.Find(AccountId) is null)
        {
            db.Integrations.Add(new IntegrationSettings { AccountId = AccountId, TenantName = DemoTenant.OrganizationName });
        }

        if (!db.Fields.Any(f => f.AccountId == AccountId))
        {
            // Preferences > Fields starts with EntraSync's default field set (the Xink-style one) and "Reports To".
            db.Fields.AddRange(FieldMapping.CreateDefaults().Append(ReportsTo).Select((f, i) => new FieldSetting { AccountId = AccountId, Position = i, Name = f.Name, Source = f.Source }));
        }

        db.SaveChanges();
    }
}
