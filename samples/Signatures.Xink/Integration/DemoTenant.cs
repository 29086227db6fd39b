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
            return _emulator ??= await GraphEmulator.StartAsync(new GraphEmulatorOptions
            {
                DefaultTenantId = TenantId,
                DefaultTenantUserCount = 60,
                TimeProvider = time,   // the app's clock: the emulator's token and delta times agree with the app's
                Seed = 2024,
                ConfigureDefaultTenant = tenant => tenant.OrganizationName = OrganizationName,
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
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
