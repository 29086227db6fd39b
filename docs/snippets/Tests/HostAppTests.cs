// The tests docs/testing.md shows, compiled and run by tests/EntraSync.Docs.Tests.
using EntraSync;
using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Snippets.Tests;

public sealed class SyncFromTheEmulatorTests : IAsyncLifetime
{
    private GraphEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 20, Seed = 7 });
        var tenant = _emulator.DefaultTenant;
        _services = new ServiceCollection()
            .AddLogging()
            .AddEntraUserSync(o => o.Tenants.Add(new SyncProfile
            {
                TenantId = "contoso",
                Connection = { TenantId = tenant.Id, GraphBaseUrl = _emulator.GraphBaseUrl, AccessToken = _emulator.CreateAccessToken(tenant.Id) },
            }))
            .AddInMemoryStores()                 // or your own store, against a test database
            .Services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_new_directory_user_becomes_an_employee_and_a_title_change_follows()
    {
        var sync = _services.GetRequiredService<IEntraUserSync>();
        var store = _services.GetRequiredService<InMemoryEmployeeStore>();
        await sync.SyncAsync("contoso");

        var ada = _emulator.DefaultTenant.AddUser(new EmulatedUser
        {
            DisplayName = "Ada Lovelace", GivenName = "Ada", Surname = "Lovelace",
            UserPrincipalName = "ada@contoso.com", Mail = "ada@contoso.com", JobTitle = "Analyst",
        });
        var created = await sync.SyncAsync("contoso");                       // incremental: a delta round
        Assert.Equal(1, created.Counts.Created);

        _emulator.DefaultTenant.UpdateUser(ada.Id, u => u.JobTitle = "Chief Analyst");
        var updated = await sync.SyncAsync("contoso");
        Assert.Equal(1, updated.Counts.Updated);
        Assert.Equal("Chief Analyst", store.FindByDirectoryId("contoso", ada.Id)!.Fields[FieldNames.JobTitle]);
    }

    [Fact]
    public async Task A_failed_read_removes_nobody()
    {
        var sync = _services.GetRequiredService<IEntraUserSync>();
        var first = await sync.SyncAsync("contoso");

        _emulator.Faults.Status = 503;                                        // every request fails from now on,
        _emulator.Faults.RetryAfterSeconds = 0.01;                            // after EntraSync's retries
        var failed = await sync.SyncAsync("contoso", new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        Assert.Equal(0, failed.Counts.Deactivated + failed.Counts.Deleted);
        Assert.Equal(first.Counts.Created, _services.GetRequiredService<InMemoryEmployeeStore>().GetEmployees("contoso").Count(e => e.IsActive));
    }
}

public sealed class RetentionTests
{
    [Fact]
    public async Task A_leaver_is_deactivated_then_purged_after_the_retention_period()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-05T08:00:00Z"));
        var directory = new InMemoryDirectory();                              // no HTTP at all
        directory.Upsert("contoso", "id-1", new Dictionary<string, object?>
        {
            ["givenName"] = "Ada", ["surname"] = "Lovelace", ["mail"] = "ada@contoso.com",
        });
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)                                // before AddEntraUserSync: it wins
            .AddSingleton<IDirectorySource>(directory)
            .AddEntraUserSync(o => o.Tenants.Add(new SyncProfile { TenantId = "contoso" }))
            .AddInMemoryStores()
            .Services.BuildServiceProvider();
        var sync = services.GetRequiredService<IEntraUserSync>();
        var store = services.GetRequiredService<InMemoryEmployeeStore>();
        await sync.SyncAsync("contoso");

        directory.Remove("contoso", "id-1");
        var left = await sync.SyncAsync("contoso");
        Assert.Equal(1, left.Counts.Deactivated);
        Assert.False(store.FindByDirectoryId("contoso", "id-1")!.IsActive);

        clock.Advance(TimeSpan.FromDays(91));
        var purged = await sync.SyncAsync("contoso", new SyncRunOptions { Mode = SyncMode.Full });
        Assert.Equal(1, purged.Counts.Purged);
        Assert.Null(store.FindByDirectoryId("contoso", "id-1"));
    }
}
