using EntraSync.Testing.Emulator;

namespace Intranet.Ziik.Integration;

/// <summary>
/// The built-in demo tenant: EntraSync's Graph emulator in process on a free loopback port, with a fixed seed, on the app's clock. Its
/// users live in København, Aarhus, Oslo, London, Redmond... with job titles such as "Developer" or
/// "Consultant, Trainer", so units match by City and user types by JobTitle.
/// </summary>
public sealed class DemoTenant(TimeProvider time) : IAsyncDisposable
{
    public const string TenantId = "4f6a2b7c-81d9-4e35-b0a2-6c3d9e1f5a08";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private GraphEmulator? _emulator;

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
                    DefaultTenantUserCount = 80,
                    TimeProvider = time,   // the app's clock: the emulator's token and delta times agree with the app's
                    Seed = 1999,
                    ConfigureDefaultTenant = tenant => (tenant.OrganizationName, tenant.Domain) = ("Northwind (demo)", "northwind.example"),
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

    /// <summary>An org chart for the Manager column: the first user leads, everyone else reports to one of the users before them.</summary>
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
