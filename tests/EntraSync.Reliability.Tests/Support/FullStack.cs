using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Core.Pipeline;
using Azure.Identity;
using EntraSync.EntityFrameworkCore;
using EntraSync.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>What a <see cref="FullStack"/> is built with.</summary>
public sealed class StackOptions
{
    /// <summary>Users the emulator's default tenant starts with (from <see cref="People"/>).</summary>
    public int Users { get; set; }

    public int WriteBatchSize { get; set; } = 1_000;

    /// <summary>Listen on HTTPS too, for client-secret sign-in through the emulator's token endpoint.</summary>
    public bool Https { get; set; }

    public int Seed { get; set; } = 7;

    public LogLevel EntityFrameworkLogLevel { get; set; } = LogLevel.Warning;

    public Action<GraphSourceOptions>? Graph { get; set; }

    public Action<IEntraSyncBuilder>? Builder { get; set; }
}

/// <summary>
/// The whole stack as a host wires it: the Graph emulator, the Microsoft Graph source with the real SDK pipeline, the
/// engine, and the EF Core stores on a SQLite file, with probes on every seam (HTTP, SQL, logs, telemetry).
/// </summary>
public sealed class FullStack : IAsyncDisposable
{
    public const string ClientId = "0e5c7a51-8d21-4c8e-9f0b-2b6f1d5a7c33";

    private readonly ServiceProvider _provider;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly List<string> _telemetry = [];

    private FullStack(GraphEmulator emulator, SqliteFile database, StoreProbe store, RequestHook http, TokenEndpointHook token, TestProfiles profiles, ServiceProvider provider, StackOptions options)
    {
        Emulator = emulator;
        Database = database;
        Store = store;
        Http = http;
        Token = token;
        Profiles = profiles;
        Options = options;
        _provider = provider;
        Sync = provider.GetRequiredService<IEntraUserSync>();
        Logs = provider.GetRequiredService<FakeLogCollector>();
        var meterFactory = provider.GetRequiredService<IMeterFactory>();
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EntraSyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var text = a.DisplayName + " " + a.StatusDescription + " " + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    + " " + string.Join(" ", a.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}"))));
                lock (_telemetry)
                {
                    _telemetry.Add(text);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => RecordMeasurement(instrument, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => RecordMeasurement(instrument, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => RecordMeasurement(instrument, tags));
        _meters.Start();
    }

    public GraphEmulator Emulator { get; private set; }

    public SqliteFile Database { get; }

    public StoreProbe Store { get; }

    public RequestHook Http { get; }

    public TokenEndpointHook Token { get; }

    public TestProfiles Profiles { get; }

    public StackOptions Options { get; }

    public IEntraUserSync Sync { get; }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _provider;

    /// <summary>Every activity and measurement tag EntraSync emitted, as text.</summary>
    public IReadOnlyList<string> Telemetry
    {
        get
        {
            lock (_telemetry)
            {
                return [.. _telemetry];
            }
        }
    }

    public EmulatedTenant Tenant => Emulator.DefaultTenant;

    public string TenantId => Emulator.DefaultTenant.Id;

    public static async Task<FullStack> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            DefaultTenantId = Guid.NewGuid().ToString(),
            EnableHttps = options.Https,
            Seed = options.Seed,
            RequestLogCapacity = 100_000,
        });
        emulator.DefaultTenant.AddUsers(People.Range(0, options.Users));

        var database = new SqliteFile();
        await database.CreateAsync();
        var store = new StoreProbe();
        await store.WatchAsync(database);
        var http = new RequestHook(options.Https ? emulator.CreateTrustingHandler() : new SocketsHttpHandler());
        var token = new TokenEndpointHook(options.Https ? emulator.CreateTrustingHandler() : new SocketsHttpHandler());
        var profiles = new TestProfiles();

        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(b => b
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter("Microsoft.EntityFrameworkCore", options.EntityFrameworkLogLevel)
            .AddFakeLogging());
        services.AddDbContextFactory<ReliabilityDbContext>(o => database.Configure(o, store));
        var builder = services.AddEntraUserSync(o => o.WriteBatchSize = options.WriteBatchSize)
            .AddEntityFrameworkCoreStore<ReliabilityDbContext>();
        services.Replace(ServiceDescriptor.Singleton<ISyncProfileProvider>(profiles));
        services.Configure<GraphSourceOptions>(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            o.PrimaryHandlerFactory = () => http;
            o.ConfigureCredentialOptions = c =>
            {
                c.Transport = new HttpClientTransport(token);
                c.Retry.MaxRetries = 0;
                if (c is ClientSecretCredentialOptions secret)
                {
                    secret.DisableInstanceDiscovery = true;
                }
            };
            options.Graph?.Invoke(o);
        });
        options.Builder?.Invoke(builder);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return new FullStack(emulator, database, store, http, token, profiles, provider, options);
    }

    /// <summary>Adds a profile for an emulated tenant, signing in with a ready access token (or a client secret over HTTPS).</summary>
    public SyncProfile AddProfile(EmulatedTenant? tenant = null, Action<SyncProfile>? configure = null, string? clientSecret = null)
    {
        tenant ??= Tenant;
        var profile = new SyncProfile { TenantId = tenant.Id };
        profile.Connection.TenantId = tenant.Id;
        profile.Photos.Size = null;
        if (clientSecret is null)
        {
            profile.Connection.GraphBaseUrl = Emulator.GraphBaseUrl;
            profile.Connection.AccessToken = Emulator.CreateAccessToken(tenant.Id);
        }
        else
        {
            profile.Connection.GraphBaseUrl = Emulator.HttpsBaseAddress + "v1.0";
            profile.Connection.AuthorityHost = Emulator.HttpsBaseAddress!.AbsoluteUri;
            profile.Connection.ClientId = ClientId;
            profile.Connection.ClientSecret = clientSecret;
            profile.Connection.TokenScope = "https://graph.microsoft.com/.default";
        }

        configure?.Invoke(profile);
        Profiles.Set(profile);
        return profile;
    }

    public Task<SyncReport> RunAsync(SyncMode mode = SyncMode.Incremental, CancellationToken cancellationToken = default) =>
        RunAsync(TenantId, mode, cancellationToken);

    public Task<SyncReport> RunAsync(string tenantId, SyncMode mode = SyncMode.Incremental, CancellationToken cancellationToken = default) =>
        Sync.SyncAsync(tenantId, new SyncRunOptions { Mode = mode }, cancellationToken);

    public async Task<List<SyncedEmployee>> EmployeesAsync(string? tenantId = null)
    {
        await using var context = Database.CreateContext();
        var tenant = tenantId ?? TenantId;
        return await context.Employees.AsNoTracking().Where(e => e.TenantId == tenant).ToListAsync();
    }

    /// <summary>Adds an employee the host created itself (not linked to the directory).</summary>
    public async Task<SyncedEmployee> AddLocalEmployeeAsync(string email, string? tenantId = null)
    {
        await using var context = Database.CreateContext();
        var employee = new SyncedEmployee { TenantId = tenantId ?? TenantId, Email = email, Fields = "{\"First Name\":\"Local\",\"Job Title\":\"Kept by the host\"}" };
        context.Employees.Add(employee);
        await context.SaveChangesAsync();
        return employee;
    }

    /// <summary>Stops the emulator (Graph goes away). Its tenant's users are returned so a restart can serve them again.</summary>
    public async Task<IReadOnlyList<EmulatedUser>> StopEmulatorAsync()
    {
        var users = Emulator.DefaultTenant.GetUsers().Select(u => u.Clone()).ToList();
        await Emulator.DisposeAsync();
        return users;
    }

    /// <summary>Starts the emulator again on the same address with the same tenant and users (its delta state is new).</summary>
    public async Task RestartEmulatorAsync(IReadOnlyList<EmulatedUser> users)
    {
        var old = Emulator;
        Emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Url = old.BaseAddress,
            DefaultTenantId = old.DefaultTenant.Id,
            Seed = Options.Seed,
            RequestLogCapacity = 100_000,
        });
        Emulator.DefaultTenant.AddUsers(users);
    }

    public async ValueTask DisposeAsync()
    {
        _activities.Dispose();
        _meters.Dispose();
        await _provider.DisposeAsync();
        await Emulator.DisposeAsync();
        await Database.DisposeAsync();
    }

    private void RecordMeasurement(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = instrument.Name;
        foreach (var tag in tags)
        {
            text += $" {tag.Key}={tag.Value}";
        }

        lock (_telemetry)
        {
            _telemetry.Add(text);
        }
    }
}
