using System.Net;
using System.Net.Sockets;

namespace EntraSync.Tests.Shared;

/// <summary>Loopback ports for tests: servers bind to 127.0.0.1 on a port nothing else holds.</summary>
internal static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (taken from the OS and let go): free to bind, and refused if connected to.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
