using EntraSync;
using EntraSync.ChangeNotifications;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Intranet.Ziik;

/// <summary>Builds the web app. Program.cs runs it; the browser tests start it on a free port with their own database.</summary>
public static class IntranetApp
{
    /// <summary>The intranet has one customer in this sample; a real product has one per customer.</summary>
    public const string TenantId = "northwind";

    /// <param name="args">The command line.</param>
    /// <param name="configureServices">Runs after the sample's own registrations (tests use it to replace the clock).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(IntranetApp).Assembly.GetName().Name,   // finds the pages when hosted by tests
        });

        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddRazorPages();
        builder.Services.AddDbContext<IntranetDb>(options =>
            options.UseSqlite(builder.Configuration.GetConnectionString("Intranet") ?? "Data Source=intranet.db"));

        // EntraSync writes into the intranet's own Person table and keeps memberships in step through OnChange.
        builder.Services.AddEntraUserSync()
            .AddEntityFrameworkCoreStore<IntranetDb, Person>(map =>
            {
                map.TenantId = p => p.TenantId;
                map.DirectoryId = p => p.DirectoryId;
                map.Email = p => p.Email;
                map.NormalizedEmail = p => p.NormalizedEmail;
                map.ContentHash = p => p.ContentHash;
                map.DeactivatedAt = p => p.DeactivatedAt;
                map.SyncedFields = p => p.SyncedFields;
                map.SyncedAssignment = p => p.SyncedAssignment;
                map.Fields[ZiikFields.FirstName] = p => p.FirstName;
                map.Fields[ZiikFields.LastName] = p => p.LastName;
                map.Fields[ZiikFields.Manager] = p => p.Manager;
                foreach (var field in ZiikFields.Matching)
                {
                    map.Fields[field.Label] = field.Column;
                }

                map.OnChange = SyncedMemberships.ApplyAsync;
            })
            .AddAssignmentCatalog<UnitCatalog>()
            .AddProfileProvider<IntegrationProfileProvider>()
            .AddChangeNotifications();   // live updates: Graph posts changes to MapEntraSyncNotifications below

        // Live updates are on with a public HTTPS address (ChangeNotifications:NotificationUrl) or with the demo tenant,
        // which posts to this app's loopback address; LiveUpdates decides as the connection changes.
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddSingleton<IConfigureOptions<ChangeNotificationOptions>>(sp => sp.GetRequiredService<LiveUpdates>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<ChangeNotificationOptions>>(sp => sp.GetRequiredService<LiveUpdates>());

        builder.Services.AddSingleton<DemoTenant>();
        builder.Services.AddSingleton<TenantSync>();
        builder.Services.AddSingleton<SyncRuns>();
        builder.Services.AddSingleton<HourlySync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HourlySync>());

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            // A sample creates its schema directly; a product uses EF Core migrations.
            var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
            db.Database.EnsureCreated();
            Seed(db);
        }

        app.MapRazorPages();
        app.MapGet("/sync/status", SyncStatus.GetAsync);   // polled by the pages: a running synchronisation, and runs a change started
        app.MapEntraSyncNotifications(LiveUpdates.Path);     // Graph's change notifications (EntraSync.AspNetCore)
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<LiveUpdates>().Started());
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("Intranet sample: open {Urls} (demo tenant until the integration has credentials)", string.Join(", ", app.Urls)));
        return app;
    }

    private static void Seed(IntranetDb db)
    {
        if (db.Integrations.Find(TenantId) is not null)
        {
            return;
        }

        // Ready to press "Initiate synchronisation": units named like the demo tenant's cities, user types like its job titles.
        db.Integrations.Add(new IntegrationSettings { TenantId = TenantId, Enabled = true });
        db.Units.AddRange(new[] { "København", "Aarhus", "Odense", "Oslo", "London", "München", "Paris" }.Select(name => new Unit { TenantId = TenantId, Name = name }));
        db.UserTypes.AddRange(new[]
            {
                "Developer", "Consultant", "Trainer", "Mentor", "Sales Manager", "Account Executive", "Support Engineer", "Director",
                "Product Manager", "IT Administrator", "Accountant", "HR Partner", "Marketing Specialist", "Designer", "Operations Lead",
            }
            .Select(name => new UserType { TenantId = TenantId, Name = name }));
        db.SaveChanges();
    }
}
