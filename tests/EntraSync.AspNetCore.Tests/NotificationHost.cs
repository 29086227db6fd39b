using EntraSync.ChangeNotifications;
using EntraSync.Testing;
using EntraSync.Testing.Emulator;
using EntraSync.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EntraSync.AspNetCore.Tests;

/// <summary>A host app on loopback with EntraSync, in-memory stores, change notifications and the endpoint mapped.</summary>
internal sealed class NotificationHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationHost(WebApplication app, string baseUrl, SyncProfile profile, LogLines log)
    {
        Log = log;
        _app = app;
        BaseUrl = baseUrl;
        Profile = profile;
    }

    public string BaseUrl { get; }

    /// <summary>Gets what the host logged at Information and above (a failing test prints it).</summary>
    public LogLines Log { get; }

    public string NotificationUrl => BaseUrl + "/entrasync/notifications";

    public SyncProfile Profile { get; }

    public IServiceProvider Services => _app.Services;

    public ChangeSubscriptionManager Manager => Services.GetRequiredService<ChangeSubscriptionManager>();

    public IChangeSubscriptionStore Store => Services.GetRequiredService<IChangeSubscriptionStore>();

    public InMemoryEmployeeStore Employees => Services.GetRequiredService<InMemoryEmployeeStore>();

    public IEntraUserSync Sync => Services.GetRequiredService<IEntraUserSync>();

    /// <summary>
    /// Starts a host. <paramref name="renewInBackground"/> false removes the renewal service so a test drives the manager
    /// itself; <paramref name="port"/> starts it where an earlier host was.
    /// </summary>
    public static async Task<NotificationHost> StartAsync(
        GraphEmulator emulator,
        Action<ChangeNotificationOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        bool renewInBackground = true,
        string? tenantKey = null,
        int? port = null)
    {
        port ??= LoopbackPort.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        var tenant = emulator.DefaultTenant;
        var profile = new SyncProfile
        {
            TenantId = tenantKey ?? tenant.Id,   // a host may key tenants by its own account ids
            Connection = new DirectoryConnectionOptions { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
        };
        profile.Photos.Size = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var log = new LogLines();
        builder.Logging.AddProvider(log);
        builder.WebHost.UseUrls(baseUrl);
        builder.Services.AddRouting();
        builder.Services.AddEntraUserSync(o => o.Tenants.Add(profile))
            .AddInMemoryStores()
            .AddChangeNotifications(o =>
            {
                o.Enabled = true;
                o.NotificationUrl = baseUrl + "/entrasync/notifications";
                o.Debounce = TimeSpan.FromMilliseconds(300);
                configure?.Invoke(o);
            });
        if (!renewInBackground)
        {
            var renewal = builder.Services.Single(d => d.ImplementationType?.Name == "ChangeSubscriptionRenewalService");
            builder.Services.Remove(renewal);
        }

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapEntraSyncNotifications("/entrasync/notifications");
        await app.StartAsync();
        return new NotificationHost(app, baseUrl, profile, log);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>The directory user the tests add to watch a change travel from Entra ID to the store.</summary>
internal static class NewHire
{
    public static EmulatedUser Ada() => new()
    {
        GivenName = "Ada",
        Surname = "Lovelace",
        DisplayName = "Ada Lovelace",
        UserPrincipalName = "ada.lovelace@contoso.com",
        Mail = "ada.lovelace@contoso.com",
        AccountEnabled = true,
        UserType = "Member",
    };
}

/// <summary>Waiting for something another thread does, without timing it.</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? within = null, Func<string>? state = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(30);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!condition() && System.Diagnostics.Stopwatch.GetElapsedTime(started) < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        Assert.True(condition(), state?.Invoke());
    }
}

/// <summary>Keeps a host's log lines so a failing test can say what the host saw.</summary>
internal sealed class LogLines : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public override string ToString() => string.Join(Environment.NewLine, _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }
}
