using Azure.Identity;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Demo;
using EntraSync.Cli.Output;
using EntraSync.Cli.Storage;
using EntraSync.Graph;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace EntraSync.Cli.Hosting;

/// <summary>
/// EntraSync as the tool runs it: the engine from <c>AddEntraUserSync</c>, the Graph source pointed at the chosen
/// directory (the demo tenant started here when needed), the SQLite store, and progress counting around both.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliHost(ServiceProvider services, DemoDirectory? demo, SyncProgress progress)
    {
        _services = services;
        Demo = demo;
        Progress = progress;
    }

    public IServiceProvider Services => _services;

    public DemoDirectory? Demo { get; }

    public SyncProgress Progress { get; }

    /// <summary>Builds the host. The demo tenant starts only when <paramref name="readsDirectory"/>; the database is created only when <paramref name="createsDatabase"/>.</summary>
    public static async Task<CliHost> StartAsync(CliSettings settings, CliConsole console, CliHooks hooks, bool readsDirectory, bool createsDatabase, CancellationToken cancellationToken)
    {
        DemoDirectory? demo = null;
        if (readsDirectory && settings.Directory == DirectoryKind.Demo)
        {
            demo = await DemoDirectory.StartAsync(settings.DemoUsers, cancellationToken).ConfigureAwait(false);
            hooks.DemoStarted?.Invoke(demo);
        }

        var progress = new SyncProgress();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            if (settings.Verbose)
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddFilter("Microsoft", LogLevel.Warning);
                logging.AddFilter("System.Net.Http", LogLevel.Warning);
                logging.AddProvider(new ErrorLoggerProvider(console.Error, TimeProvider.System));
            }
        });

        var builder = services.AddEntraUserSync(options =>
        {
            options.Tenants.Add(settings.Profile);
            if (settings.RunLeaseDuration is { } lease)
            {
                options.RunLeaseDuration = lease;
            }
        });
        CliStorage.Register(builder, settings.DbPath);
        services.Configure<GraphSourceOptions>(options =>
        {
            options.PrimaryHandlerFactory = demo is not null ? demo.CreateHandler : hooks.PrimaryHandlerFactory;
            options.ConfigureCredentialOptions = credential =>
            {
                // Instance discovery only knows Microsoft's sign-in hosts; skip it for any other authority.
                if (!IsMicrosoftAuthority(settings.Profile.Connection.AuthorityHost))
                {
                    switch (credential)
                    {
                        case ClientSecretCredentialOptions secret:
                            secret.DisableInstanceDiscovery = true;
                            break;
                        case ClientCertificateCredentialOptions certificate:
                            certificate.DisableInstanceDiscovery = true;
                            break;
                    }
                }

                hooks.ConfigureCredentialOptions?.Invoke(credential);
            };
        });

        Decorate<IDirectorySource>(services, (inner, _) => new ProgressDirectorySource(inner, progress));
        Decorate<IEmployeeStore>(services, (inner, _) => new ProgressEmployeeStore(inner, progress));

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
        var host = new CliHost(provider, demo, progress);
        try
        {
            if (createsDatabase)
            {
                await CliStorage.EnsureCreatedAsync(provider, settings.DbPath, cancellationToken).ConfigureAwait(false);
            }

            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (Demo is not null)
        {
            await Demo.DisposeAsync().ConfigureAwait(false);
        }

        CliStorage.Release();
    }

    internal static bool IsMicrosoftAuthority(string? authorityHost) =>
        Uri.TryCreate(authorityHost, UriKind.Absolute, out var uri)
        && (uri.Host.EndsWith("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("login.microsoftonline.us", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("login.chinacloudapi.cn", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("login.partner.microsoftonline.cn", StringComparison.OrdinalIgnoreCase));

    /// <summary>Wraps the registered <typeparamref name="TService"/>, whatever form its registration takes.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> wrap)
        where TService : class
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (descriptor is null)
        {
            return;
        }

        services.RemoveAll<TService>();
        services.Add(ServiceDescriptor.Describe(
            typeof(TService),
            sp => wrap((TService)(descriptor.ImplementationInstance
                ?? descriptor.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!)), sp),
            descriptor.Lifetime));
    }
}
