// Change notifications end to end on loopback: the Graph emulator posts a notification for each user created, changed
// or deleted through its API to a host app (Kestrel, MapEntraSyncNotifications, in-memory stores), whose debounced
// incremental run brings the change into the store. Measures, per change, the time from the change in the emulator to
// the store showing it, with no polling run in between (no scheduler is registered). Changes come in waves (a wave of
// simultaneous changes shares one run).
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.Notifications -- [changes=100] [wave=5] [debounce-ms=3000] [users=1000]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EntraSync;
using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
var changes = Arg(0, 100);
var wave = Arg(1, 5);
var debounce = TimeSpan.FromMilliseconds(Arg(2, 3000));
var users = Arg(3, 1000);

await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = users });
var tenant = emulator.DefaultTenant;
var profile = new SyncProfile
{
    TenantId = tenant.Id,
    Connection = new DirectoryConnectionOptions { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
};
profile.Photos.Size = null;
int port;
using (var listener = new TcpListener(IPAddress.Loopback, 0))
{
    listener.Start();
    port = ((IPEndPoint)listener.LocalEndpoint).Port;
}

var baseUrl = $"http://127.0.0.1:{port}";
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(baseUrl);
builder.Services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores().AddChangeNotifications(o =>
{
    o.Enabled = true;
    o.NotificationUrl = baseUrl + "/entrasync/notifications";
    o.Debounce = debounce;
});
await using var app = builder.Build();
app.MapEntraSyncNotifications("/entrasync/notifications");
await app.StartAsync();
var sync = app.Services.GetRequiredService<IEntraUserSync>();
var store = app.Services.GetRequiredService<InMemoryEmployeeStore>();
await sync.SyncAsync(tenant.Id, new SyncRunOptions { Mode = SyncMode.Full });
while (emulator.Subscriptions.GetAll().Count == 0)
{
    await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
}

var runsBefore = (await sync.GetRunsAsync(tenant.Id, 1000)).Count;
var latencies = new List<double>();
// Users the first run imported (the generated tenant also holds rooms, service accounts and users without email).
var existing = store.GetEmployees(tenant.Id).Where(e => e.IsActive && e.DirectoryId is not null).Select(e => e.DirectoryId!).ToList();
var next = 0;
var kinds = new Dictionary<string, List<double>> { ["create"] = [], ["update"] = [], ["delete"] = [] };
var total = Stopwatch.StartNew();
for (var done = 0; done < changes; done += wave)
{
    var pending = new List<(string Kind, long Started, Func<bool> Seen)>();
    for (var i = done; i < Math.Min(changes, done + wave); i++)
    {
        // New hires, changes and leavers: a third each.
        var kind = (i % 3) switch { 0 => "create", 1 => "update", _ => "delete" };
        var started = Stopwatch.GetTimestamp();
        switch (kind)
        {
            case "create":
                var user = tenant.AddUser(new EmulatedUser
                {
                    GivenName = "New",
                    Surname = "Hire" + i,
                    DisplayName = "New Hire " + i,
                    UserPrincipalName = $"new.hire{i}@contoso.com",
                    Mail = $"new.hire{i}@contoso.com",
                    AccountEnabled = true,
                    UserType = "Member",
                });
                pending.Add((kind, started, () => store.FindByDirectoryId(tenant.Id, user.Id) is { IsActive: true }));
                break;
            case "update":
                // Existing users, each changed once: a wave never changes and deletes the same user.
                var target = existing[next++];
                var title = "Title " + i;
                tenant.UpdateUser(target, u => u.JobTitle = title);
                pending.Add((kind, started, () => store.FindByDirectoryId(tenant.Id, target)?[FieldNames.JobTitle] == title));
                break;
            default:
                var leaver = existing[next++];
                tenant.DeleteUser(leaver);
                pending.Add((kind, started, () => store.FindByDirectoryId(tenant.Id, leaver) is { IsActive: false }));
                break;
        }
    }

    var waveStarted = Stopwatch.GetTimestamp();
    while (pending.Count > 0)
    {
        if (Stopwatch.GetElapsedTime(waveStarted) > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException($"{pending.Count} changes of the wave never reached the store: {string.Join(", ", pending.Select(p => p.Kind))}");
        }

        for (var j = pending.Count - 1; j >= 0; j--)
        {
            if (pending[j].Seen())
            {
                var ms = Stopwatch.GetElapsedTime(pending[j].Started).TotalMilliseconds;
                latencies.Add(ms);
                kinds[pending[j].Kind].Add(ms);
                pending.RemoveAt(j);
            }
        }

        await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
    }
}

var runs = (await sync.GetRunsAsync(tenant.Id, 1000)).Count - runsBefore;
static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

Console.WriteLine($"{changes} changes in waves of {wave}, debounce {debounce.TotalMilliseconds:0} ms, {users} users, {Environment.ProcessorCount} cores, total {total.Elapsed.TotalSeconds:0.0} s");
Console.WriteLine("| changes | p50 | p95 | max | runs | notifications delivered | notification POSTs |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine($"| all {latencies.Count} | {Percentile(latencies, 0.5) / 1000:0.00} s | {Percentile(latencies, 0.95) / 1000:0.00} s | {latencies.Max() / 1000:0.00} s | {runs} | {emulator.Subscriptions.Delivered} | {emulator.Subscriptions.Posts} |");
foreach (var (kind, values) in kinds)
{
    Console.WriteLine($"| {kind} {values.Count} | {Percentile(values, 0.5) / 1000:0.00} s | {Percentile(values, 0.95) / 1000:0.00} s | {values.Max() / 1000:0.00} s | | | |");
}

await app.StopAsync();
