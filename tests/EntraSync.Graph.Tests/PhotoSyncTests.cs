using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Graph.Tests;

/// <summary>Photos through the whole engine (AddEntraUserSync, the default Graph source batching them, the real Graph client).</summary>
public sealed class PhotoSyncTests
{
    [Fact]
    public async Task A_photo_whose_batched_download_fails_is_a_warning_and_arrives_on_the_next_run()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var ada = tenant.AddUser(Emulator.Person("Ada", "Lovelace"));
        var alan = tenant.AddUser(Emulator.Person("Alan", "Turing"));
        tenant.SetPhoto(ada.Id, [0xFF, 0xD8, 0xFF, 0xD9, 1], 1, 1);
        tenant.SetPhoto(alan.Id, [0xFF, 0xD8, 0xFF, 0xD9, 2], 1, 1);
        var profile = Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true);
        var services = new ServiceCollection();
        services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
        services.Configure<GraphSourceOptions>(o =>
        {
            o.MaxRetries = 0;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        });
        await using var provider = services.BuildServiceProvider();
        var sync = provider.GetRequiredService<IEntraUserSync>();
        var store = provider.GetRequiredService<InMemoryEmployeeStore>();
        emulator.Faults.Status = 503;
        emulator.Faults.PathContains = alan.Id + "/photo/$value";

        var first = await sync.SyncAsync(tenant.Id, new SyncRunOptions { Mode = SyncMode.Full });
        emulator.Faults.Reset();
        var second = await sync.SyncAsync(tenant.Id, new SyncRunOptions { Mode = SyncMode.Full });

        var warning = Assert.Single(first.Warnings);
        Assert.Contains("alan.turing@contoso.com", warning, StringComparison.Ordinal);
        Assert.Contains("tried again next run", warning, StringComparison.Ordinal);
        Assert.Empty(second.Warnings);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9, 1 }, store.FindByDirectoryId(tenant.Id, ada.Id)!.Photo!.Value.ToArray());
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9, 2 }, store.FindByDirectoryId(tenant.Id, alan.Id)!.Photo!.Value.ToArray());
        Assert.Equal(tenant.GetPhotoETag(alan.Id), store.FindByDirectoryId(tenant.Id, alan.Id)!.PhotoETag);
        Assert.Contains(emulator.Requests, r => r.PathAndQuery == "/v1.0/$batch");
        Emulator.AssertOnlyGets(emulator);
    }
}
