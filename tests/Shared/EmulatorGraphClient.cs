using EntraSync.Testing.Emulator;
using Microsoft.Graph;

namespace EntraSync.Tests.Shared;

/// <summary>
/// The real Graph SDK pointed at the emulator, for our own tests and benchmarks. The emulator itself ships without
/// the Graph SDK (EntraSync.Testing must not pull it into a host that only wants a store), so this lives here.
/// </summary>
internal static class EmulatorGraphClient
{
    /// <summary>
    /// Creates a <see cref="GraphServiceClient"/> for a tenant, pointed at <see cref="GraphEmulator.GraphBaseUrl"/> with
    /// the SDK's default handlers (retry honouring Retry-After, redirects) and a static token from
    /// <see cref="GraphEmulator.CreateAccessToken"/>.
    /// </summary>
    public static GraphServiceClient CreateGraphClient(this GraphEmulator emulator, string? tenantId = null)
    {
        var http = GraphClientFactory.Create();
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.CreateAccessToken(tenantId));
        return new GraphServiceClient(http, baseUrl: emulator.GraphBaseUrl);
    }
}
