using EntraSync.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Samples.Tests;

/// <summary>
/// Runs a sample in this process exactly as `dotnet run` would, except for a free loopback port, its own temporary
/// SQLite file and content root. Each sample starts its own demo tenant (Graph emulator) on its own port.
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private SampleHost(WebApplication app, string directory, Uri address)
    {
        _app = app;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a sample.</summary>
    /// <param name="build">The sample's own builder (<c>SignaturesApp.Build</c>, <c>IntranetApp.Build</c>).</param>
    /// <param name="connectionStringName">The sample's connection string name.</param>
    /// <param name="configureServices">Replaces services after the sample's own registrations (e.g. the clock).</param>
    public static async Task<SampleHost> StartAsync(Func<string[], Action<IServiceCollection>?, WebApplication> build, string connectionStringName, Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "entrasync-samples-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var app = build(
        [
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={directory}",
            $"--ConnectionStrings:{connectionStringName}=Data Source={Path.Combine(directory, "sample.db")}",
            "--Logging:LogLevel:Default=Warning",

            // Typed app credentials sign in here, a closed local port, never at login.microsoftonline.com: no test
            // reaches the real Entra ID (it failed on DNS here, after 30 s of Azure.Identity's retries).
            $"--EntraApp:AuthorityHost=https://127.0.0.1:{LoopbackPort.Free()}/",
        ], configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SampleHost(app, directory, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();   // let go of the database file before deleting it
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
