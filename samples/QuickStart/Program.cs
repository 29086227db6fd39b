// The quick start from README.md: a host wires EntraSync, plugs in a store, and syncs a tenant.
// The directory here is an in-memory demo; with no directory source registered, EntraSync reads Microsoft Graph.
using EntraSync;
using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services
    .AddEntraUserSync(options => options.Tenants.Add(new SyncProfile
    {
        TenantId = "contoso",
        Removal = { Mode = RemovalMode.SoftDelete, RetentionPeriod = TimeSpan.FromDays(90) },
    }))
    .AddInMemoryStores();                                   // your store: .AddEmployeeStore<MyStore>()
builder.Services.AddSingleton<IDirectorySource>(DemoDirectory.Create("contoso"));

using var host = builder.Build();
await host.StartAsync();                                    // validates the options
var sync = host.Services.GetRequiredService<IEntraUserSync>();

var first = await sync.SyncAsync("contoso");
Print("First sync", first);
var second = await sync.SyncAsync("contoso");
Print("Second sync (nothing changed in the directory)", second);
await host.StopAsync();
return first.Outcome == SyncOutcome.Succeeded && second.Counts.Changes == 0 ? 0 : 1;

static void Print(string title, SyncReport report)
{
    Console.WriteLine($"{title}: {report.Outcome}, {report.Mode} read, {report.Duration.TotalMilliseconds:0} ms");
    Console.WriteLine($"  {report.Counts}");
    foreach (var user in report.Users.Where(u => u.Action == UserAction.Skipped).Take(5))
    {
        Console.WriteLine($"  skipped {user.DisplayName ?? user.DirectoryId}: {user.Reason}");
    }
}

/// <summary>A few realistic users, including ones the default rules skip.</summary>
internal static class DemoDirectory
{
    public static InMemoryDirectory Create(string tenant)
    {
        var directory = new InMemoryDirectory();
        string[] given = ["Ada", "Alan", "Grace", "Søren", "Zoë", "Mette", "Jonas", "Ingrid"];
        string[] surname = ["Lovelace", "Turing", "Hopper", "Kierkegaard", "Ødegaard", "Frederiksen", "Berg", "Nielsen"];
        for (var i = 0; i < 40; i++)
        {
            var g = given[i % given.Length];
            var s = surname[i / given.Length % surname.Length];
            directory.Upsert(tenant, $"{i:D8}-0000-4000-8000-000000000000", new Dictionary<string, object?>
            {
                ["displayName"] = $"{g} {s}",
                ["givenName"] = g,
                ["surname"] = s,
                ["mail"] = i % 13 == 0 ? null : $"{g}.{s}{i}@contoso.com".ToLowerInvariant(),
                ["proxyAddresses"] = i % 13 == 0 ? new[] { $"SMTP:{g}{i}@contoso.com", $"smtp:{g}{i}@contoso.mail.onmicrosoft.com" } : Array.Empty<string>(),
                ["jobTitle"] = i % 3 == 0 ? "Consultant" : "Developer",
                ["department"] = i % 2 == 0 ? "Sales" : "Engineering",
                ["businessPhones"] = new[] { $"+45 70 20 {i:D2} {i:D2}" },
            });
        }

        directory.Upsert(tenant, "room-0001", new Dictionary<string, object?> { ["displayName"] = "Meeting room 1.01", ["mail"] = "room101@contoso.com" });
        return directory;
    }
}
