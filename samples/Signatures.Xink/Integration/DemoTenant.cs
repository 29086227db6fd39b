using EntraSync.Testing.Emulator;

namespace Signatures.Xink.Integration;

/// <summary>
/// The built-in demo tenant: EntraSync's Graph emulator, in process on a free loopback port, with a fixed seed so
/// everyone sees the same people. Started on first use; used when no real credentials are configured.
/// </summary>
public sealed class DemoTenant(TimeProvider time) : IAsyncDisposable
{
    public const string TenantId = "9b0f4c1e-2d53-4e8a-9a47-1c5f0e6d7a21";
    public const string OrganizationName = "Contoso (demo)";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private GraphEmulator? _emulator;

    /// <summary>Gets the running emulator, starting it the first time.</summary>
    public async Task<GraphEmulator> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_emulator is { } running)
        {
            return running;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_emulator is null)
            {
                var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
                {
                    DefaultTenantId = TenantId,
                    DefaultTenantUserCount = 60,
                    TimeProvider = time,   // the app's clock: the emulator's token and delta times agree with the app's
                    Seed = 2024,
                    ConfigureDefaultTenant = tenant => tenant.OrganizationName = OrganizationName,
                }, cancellationToken);
                GiveManagers(emulator.DefaultTenant);
                _emulator = emulator;
            }

            return _emulator;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An org chart for "Reports To": the first user leads, everyone else reports to one of the users before them.</summary>
    private static void GiveManagers(EmulatedTenant tenant)
    {
        var users = tenant.GetUsers();
        for (var i = 1; i < users.Count; i++)
        {
            var manager = users[(i - 1) / 6];
            tenant.UpdateUser(users[i].Id, u => u.ManagerId = manager.Id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        _gate.Dispose();
    }
}
