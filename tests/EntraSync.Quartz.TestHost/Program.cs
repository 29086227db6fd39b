using EntraSync;
using EntraSync.Quartz.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

// One node of the fleet: EntraSync on Quartz with a clustered PostgreSQL job store, the EF Core store on the same
// database, profiles from a file. EntraSync and Quartz run on an accelerated clock shared by every node (one-minute
// slots every 10 seconds of wall time).
// Arguments are name=value pairs.
var settings = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
var node = settings["node"];
var connectionString = settings["db"];
var time = new AcceleratedTimeProvider(DateTimeOffset.Parse(settings["epoch"], System.Globalization.CultureInfo.InvariantCulture), double.Parse(settings["speed"], System.Globalization.CultureInfo.InvariantCulture));

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(settings.TryGetValue("log", out var level) ? Enum.Parse<LogLevel>(level) : LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning).AddFilter("Quartz", settings.TryGetValue("quartzlog", out var ql) ? Enum.Parse<LogLevel>(ql) : LogLevel.Information);

// One clock for EntraSync and Quartz: the default Quartz scheduler reads the container's TimeProvider and waits on its
// timers, so the accelerated clock drives both, and a tenant's trigger repeats on the same one-minute grid as its slots.
// (Never q.UseTimeProvider(TimeProvider.System) here: for the default scheduler it replaces the container's clock, which
// put EntraSync back on the wall clock while due times were read as accelerated ones — issue 17's slow fleet.)
builder.Services.AddSingleton<TimeProvider>(time);
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddDbContextFactory<FleetDbContext>(o => o.UseNpgsql(connectionString));

// #region quartz-host
builder.Services.AddQuartz(q =>
{
    q.UseDefaultThreadPool(4);                                        // runs at once on this node
    q.ConfigureScheduler(o =>
    {
        o.IdleWaitTime = Wall(1);                                       // notice triggers other nodes moved within a second
        o.MaxBatchSize = 4;                                             // fill the pool in one acquisition round
    });
    q.UsePersistentStore(store =>
    {
        store.UsePostgres(connectionString);
        store.UseClustering(c =>
        {
            c.CheckinInterval = Wall(2);
            c.CheckinMisfireThreshold = Wall(5);
        });
        store.ProvisionSchema();
    });
});
builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

builder.Services.AddEntraUserSync(o => o.RunLeaseDuration = TimeSpan.FromSeconds(double.Parse(settings["lease"], System.Globalization.CultureInfo.InvariantCulture)))
    .AddEntityFrameworkCoreStore<FleetDbContext>()
    .AddQuartzScheduling(o =>
    {
        o.Jitter = TimeSpan.FromMinutes(1);
        o.PollInterval = TimeSpan.FromSeconds(1);
        o.ProfileRefreshInterval = TimeSpan.FromMinutes(5);
    });
// #endregion
builder.Services.Replace(ServiceDescriptor.Singleton<ISyncProfileProvider>(new FileProfileProvider(settings["profiles"])));

// Record each scheduled run in the shared database (the scheduled-sync seam is public, so a host can wrap it).
var seam = builder.Services.Last(d => d.ServiceType == typeof(IScheduledSync));
builder.Services.Replace(ServiceDescriptor.Singleton<IScheduledSync>(sp => new RecordingScheduledSync(
    (IScheduledSync)ActivatorUtilities.CreateInstance(sp, seam.ImplementationType!),
    sp.GetRequiredService<ISyncStateStore>(),
    sp.GetRequiredService<NpgsqlDataSource>(),
    node)));

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("started " + node);
await host.WaitForShutdownAsync();

// A duration of the wall clock in the accelerated clock's terms (Quartz's settings are read on the accelerated clock).
TimeSpan Wall(double seconds) => TimeSpan.FromSeconds(seconds * time.Speed);
