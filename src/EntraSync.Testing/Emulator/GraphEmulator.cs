using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EntraSync.Testing.Emulator.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EntraSync.Testing.Emulator;

/// <summary>
/// A fake Microsoft Entra ID that speaks a Microsoft Graph v1.0 subset over HTTP on loopback: users (list, get,
/// delta), organization, group members, photos, Graph-style writes, Graph's errors, injected faults, and an Entra
/// client-credentials token endpoint. One emulator hosts many tenants; the bearer token selects the tenant.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 500 });
/// // The emulator needs no Graph SDK; point EntraSync (or your own GraphServiceClient) at it:
/// var connection = new DirectoryConnectionOptions { GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken() };
/// </code>
/// </example>
public sealed partial class GraphEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, EmulatedTenant> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<EmulatorRequest> _requests = new();
    private readonly int _requestLogCapacity;
    private int _disposed;

    private GraphEmulator(WebApplication app, GraphEmulatorOptions options, X509Certificate2? certificate)
    {
        _app = app;
        Options = options;
        TimeProvider = options.TimeProvider;
        Certificate = certificate;
        Faults = new EmulatorFaults(options.Seed);
        _requestLogCapacity = Math.Max(0, options.RequestLogCapacity);
        BaseAddress = null!;
        DefaultTenant = null!;
    }

    /// <summary>Gets the HTTP address the emulator listens on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>
    /// Gets the Graph base URL to give a Graph client (EntraSync's <c>Connection:GraphBaseUrl</c>, or the SDK's
    /// <c>GraphServiceClient</c>): <see cref="BaseAddress"/> + <c>v1.0</c>.
    /// </summary>
    public string GraphBaseUrl => BaseAddress.AbsoluteUri + "v1.0";

    /// <summary>Gets the HTTPS address when <see cref="GraphEmulatorOptions.EnableHttps"/> is set, else <see langword="null"/>.</summary>
    public Uri? HttpsBaseAddress { get; private set; }

    /// <summary>Gets the self-signed certificate of the HTTPS listener, or <see langword="null"/> without HTTPS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Gets the tenant created at start.</summary>
    public EmulatedTenant DefaultTenant { get; private set; }

    /// <summary>Gets the faults injected into Graph responses (also set by <c>POST /_emulator/faults</c>).</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Gets the emulator's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the requests answered so far, oldest first (also <c>GET /_emulator/requests</c>).</summary>
    public IReadOnlyList<EmulatorRequest> Requests => [.. _requests];

    internal GraphEmulatorOptions Options { get; }

    /// <summary>Starts an emulator on a free loopback port (or the configured URL) with a default tenant.</summary>
    /// <param name="options">The options; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    public static async Task<GraphEmulator> StartAsync(GraphEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GraphEmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GraphEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();

        // The emulator is a guest in someone else's process: it must not take over Ctrl+C / SIGTERM.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveLifetime>();
        options.ConfigureLogging?.Invoke(builder.Logging);
        var certificate = options.EnableHttps ? CreateCertificate() : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(ToEndPoint(options.Url), _ => { });
            if (certificate is not null)
            {
                kestrel.Listen(ToEndPoint(options.HttpsUrl), listen => listen.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        var emulator = new GraphEmulator(app, options, certificate);
        var handler = new GraphRequestHandler(emulator);
        app.Run(handler.HandleAsync);
        emulator.DefaultTenant = emulator.AddTenant(options.DefaultTenantId, t =>
        {
            t.UserCount = options.DefaultTenantUserCount;
            t.Seed = options.Seed;
            options.ConfigureDefaultTenant?.Invoke(t);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        foreach (var address in addresses)
        {
            var uri = new Uri(address.EndsWith('/') ? address : address + "/");
            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                emulator.HttpsBaseAddress = uri;
            }
            else
            {
                emulator.BaseAddress = uri;
            }
        }

        return emulator;
    }

    /// <summary>Adds a tenant, optionally generated (see <see cref="EmulatedTenantOptions.UserCount"/>).</summary>
    /// <param name="tenantId">The tenant id, usually a GUID.</param>
    /// <param name="configure">Sets up the tenant.</param>
    /// <returns>The tenant.</returns>
    /// <exception cref="InvalidOperationException">The tenant exists.</exception>
    public EmulatedTenant AddTenant(string tenantId, Action<EmulatedTenantOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var tenantOptions = new EmulatedTenantOptions();
        configure?.Invoke(tenantOptions);
        var tenant = new EmulatedTenant(tenantId, tenantOptions, TimeProvider);
        if (!_tenants.TryAdd(tenantId, tenant))
        {
            throw new InvalidOperationException($"Tenant '{tenantId}' already exists.");
        }

        if (tenantOptions.UserCount > 0)
        {
            new TenantGenerator(tenantOptions.Seed).Populate(tenant, tenantOptions.UserCount);
        }

        return tenant;
    }

    /// <summary>Gets a tenant by id.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>The tenant.</returns>
    /// <exception cref="KeyNotFoundException">No such tenant.</exception>
    public EmulatedTenant GetTenant(string tenantId) =>
        _tenants.TryGetValue(tenantId, out var tenant) ? tenant : throw new KeyNotFoundException($"Tenant '{tenantId}' does not exist.");

    /// <summary>Removes a tenant; its tokens then get 401.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns><see langword="true"/> if it existed.</returns>
    public bool RemoveTenant(string tenantId) => _tenants.TryRemove(tenantId, out _);

    /// <summary>
    /// Creates a bearer token for a tenant: an unsigned JWT (<c>alg: none</c>) carrying <c>tid</c>, without expiry.
    /// Any non-empty bearer is accepted; a JWT-shaped one selects the tenant named by its <c>tid</c>, any other selects
    /// <see cref="DefaultTenant"/>.
    /// </summary>
    /// <param name="tenantId">The tenant id; <see langword="null"/> for the default tenant.</param>
    /// <returns>The token.</returns>
    public string CreateAccessToken(string? tenantId = null) =>
        AccessTokens.Create(tenantId ?? DefaultTenant.Id, null, TimeProvider.GetUtcNow(), null, null);

    /// <summary>Creates a plain <see cref="HttpClient"/> with <see cref="HttpClient.BaseAddress"/> set and a bearer token for the tenant.</summary>
    /// <param name="tenantId">The tenant id; <see langword="null"/> for the default tenant.</param>
    /// <returns>The client; dispose it.</returns>
    public HttpClient CreateHttpClient(string? tenantId = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", CreateAccessToken(tenantId));
        return client;
    }

    /// <summary>
    /// Creates an <see cref="HttpClientHandler"/> that trusts <see cref="Certificate"/> (and only it), for clients of the
    /// HTTPS listener, e.g. <c>new ClientSecretCredentialOptions { Transport = new HttpClientTransport(handler) }</c>.
    /// </summary>
    /// <returns>The handler.</returns>
    /// <exception cref="InvalidOperationException">HTTPS is not enabled.</exception>
    public HttpClientHandler CreateTrustingHandler()
    {
        var thumbprint = Certificate?.GetCertHashString(HashAlgorithmName.SHA256)
            ?? throw new InvalidOperationException("HTTPS is not enabled; set GraphEmulatorOptions.EnableHttps.");
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (cert is not null && string.Equals(cert.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase)),
        };
    }

    /// <summary>Clears the request log.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await DisposeSubscriptionsAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            Certificate?.Dispose();
        }
    }

    internal EmulatedTenant? FindTenant(string tenantId) => _tenants.GetValueOrDefault(tenantId);

    internal void Record(EmulatorRequest request)
    {
        if (_requestLogCapacity == 0)
        {
            return;
        }

        _requests.Enqueue(request);
        while (_requests.Count > _requestLogCapacity && _requests.TryDequeue(out _))
        {
        }
    }

    private static IPEndPoint ToEndPoint(Uri url)
    {
        var host = url.Host;
        var address = host is "localhost" ? IPAddress.Loopback
            : host is "*" or "+" or "0.0.0.0" ? IPAddress.Any
            : IPAddress.Parse(host.Trim('[', ']'));
        return new IPEndPoint(address, url.Port);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));

        // Real time on purpose: TLS clients check validity against the machine clock, not the emulator's.
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private sealed class PassiveLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
