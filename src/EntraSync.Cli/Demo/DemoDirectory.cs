using System.Net;
using System.Net.Sockets;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Demo;

/// <summary>
/// The built-in demo tenant: the Graph emulator running in this process with a fixed seed, so every run sees the
/// same tenant, the same users and the same object ids, and a second sync against the same database changes nothing.
/// </summary>
/// <remarks>
/// The emulator listens on a free loopback port that differs per run, but the delta link a run stores must still
/// work in the next run. So Graph is addressed by a fixed host name (<see cref="GraphBaseUrl"/>) that never reaches
/// DNS: <see cref="CreateHandler"/> connects every request for that host to this run's port. The emulator's delta
/// tokens carry their own state, and the tenant is rebuilt identically from the seed, so yesterday's link answers today.
/// </remarks>
internal sealed class DemoDirectory : IAsyncDisposable
{
    /// <summary>The demo tenant's id (also its tenant key in the database).</summary>
    public const string TenantId = "5c8e2f4a-3b71-4d0e-9a6c-de0175a1b2c3";

    /// <summary>The generator seed.</summary>
    public const int Seed = 2026;

    /// <summary>How many users the demo tenant has by default (about 3% guests, 2% disabled, 1% rooms and shared mailboxes, some without mail).</summary>
    public const int UserCount = 300;

    /// <summary>The largest demo tenant <c>--demo-users</c> allows.</summary>
    public const int MaxUserCount = 1_000_000;

    /// <summary>The fixed host the demo tenant is addressed by; <c>.invalid</c> never resolves, so nothing leaves the process by mistake.</summary>
    public const string Host = "demo-tenant.entrasync.invalid";

    /// <summary>The Graph base URL of the demo tenant.</summary>
    public const string GraphBaseUrl = "http://" + Host + "/v1.0";

    /// <summary>The bearer token sent to the demo tenant (the emulator accepts any token for its default tenant).</summary>
    public const string AccessToken = "entrasync-demo";

    private readonly GraphEmulator _emulator;

    private DemoDirectory(GraphEmulator emulator) => _emulator = emulator;

    /// <summary>Gets the emulator (tests reach the tenant through it).</summary>
    public GraphEmulator Emulator => _emulator;

    /// <summary>Starts the demo tenant with <paramref name="userCount"/> generated users.</summary>
    public static async Task<DemoDirectory> StartAsync(int userCount = UserCount, CancellationToken cancellationToken = default)
    {
        var emulator = await GraphEmulator.StartAsync(
            new GraphEmulatorOptions
            {
                DefaultTenantId = TenantId,
                DefaultTenantUserCount = userCount,
                Seed = Seed,
                RequestLogCapacity = 0,
                ConfigureDefaultTenant = tenant => tenant.OrganizationName = "Contoso (EntraSync demo)",
            },
            cancellationToken).ConfigureAwait(false);
        return new DemoDirectory(emulator);
    }

    /// <summary>Points a profile at the demo tenant; without a config file it also gets the demo's defaults.</summary>
    public static void ApplyTo(SyncProfile profile, bool configured)
    {
        if (string.IsNullOrWhiteSpace(profile.TenantId))
        {
            profile.TenantId = TenantId;
        }

        profile.DisplayName ??= "Contoso (demo)";
        profile.Connection.GraphBaseUrl = GraphBaseUrl;
        profile.Connection.AccessToken = AccessToken;
        if (!configured)
        {
            DemoProfile.ApplyDefaults(profile);
        }
    }

    /// <summary>Creates the innermost HTTP handler: requests for <see cref="Host"/> connect to this run's emulator port.</summary>
    public HttpMessageHandler CreateHandler()
    {
        var port = _emulator.BaseAddress.Port;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                if (!string.Equals(context.DnsEndPoint.Host, Host, StringComparison.OrdinalIgnoreCase))
                {
                    throw new HttpRequestException($"The demo tenant answers only {Host}, not {context.DnsEndPoint.Host}.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
