using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace EntraSync.Graph.Internal;

/// <summary>
/// One <see cref="GraphServiceClient"/> per tenant and credentials, on one shared <see cref="HttpClient"/> per Graph
/// origin (scheme, host and port: the public cloud, a national cloud, an emulator) whose pipeline is the SDK's default
/// handlers (redirects, headers, telemetry...) with <see cref="GraphRetryHandler"/> in the place of the SDK's retry
/// handler and <see cref="GraphOriginHandler"/> innermost, which refuses any request to another origin. The cache key
/// holds a hash of the secret, never the secret.
/// </summary>
internal sealed class GraphClientProvider : IDisposable
{
    private readonly GraphSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _http = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, GraphServiceClient> _clients = new(StringComparer.Ordinal);

    public GraphClientProvider(IOptions<GraphSourceOptions> options, TimeProvider time, ILogger logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public GraphSourceOptions Options => _options;

    /// <summary>Gets the clock retry waits run on.</summary>
    public TimeProvider Time => _time;

    /// <summary>Gets the client for a profile's tenant and credentials.</summary>
    /// <exception cref="DirectoryException">The connection settings are incomplete (<see cref="DirectoryErrorKind.Configuration"/>).</exception>
    public GraphServiceClient GetClient(SyncProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var connection = profile.Connection;
        var baseUrl = NormalizeBaseUrl(connection.GraphBaseUrl);
        var credential = _options.CredentialFactory?.Invoke(profile);
        var key = CacheKey(profile, baseUrl, credential);
        if (_clients.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var provider = CreateAuthenticationProvider(connection, baseUrl, credential, _options.ConfigureCredentialOptions);
        var graph = new Uri(baseUrl);
        var http = _http.GetOrAdd(graph.GetLeftPart(UriPartial.Authority), origin => new Lazy<HttpClient>(() => CreateHttpClient(new Uri(origin)), LazyThreadSafetyMode.ExecutionAndPublication));
        return _clients.GetOrAdd(key, _ => new GraphServiceClient(http.Value, provider, baseUrl));
    }

    /// <summary>Creates a client for one tenant id other than the profile's (admin-consent onboarding reads the new tenant).</summary>
    public GraphServiceClient GetClient(SyncProfile template, string tenantId)
    {
        var profile = new SyncProfile
        {
            TenantId = tenantId,
            Connection = new DirectoryConnectionOptions
            {
                TenantId = tenantId,
                ClientId = template.Connection.ClientId,
                ClientSecret = template.Connection.ClientSecret,
                CertificatePath = template.Connection.CertificatePath,
                CertificatePassword = template.Connection.CertificatePassword,
                AccessToken = template.Connection.AccessToken,
                GraphBaseUrl = template.Connection.GraphBaseUrl,
                AuthorityHost = template.Connection.AuthorityHost,
            },
        };
        return GetClient(profile);
    }

    /// <summary>
    /// Gets the credential the profile signs in with and the scope to ask for, or <see langword="null"/> when a ready
    /// access token is configured (the connectivity check acquires a token on its own to report it separately).
    /// </summary>
    public (TokenCredential Credential, string Scope)? GetCredential(SyncProfile profile)
    {
        var baseUrl = NormalizeBaseUrl(profile.Connection.GraphBaseUrl);
        var credential = _options.CredentialFactory?.Invoke(profile);
        if (credential is null && !string.IsNullOrWhiteSpace(profile.Connection.AccessToken))
        {
            return null;
        }

        return (credential ?? CreateCredential(profile.Connection, _options.ConfigureCredentialOptions), Scope(profile.Connection, baseUrl));
    }

    public void Dispose()
    {
        foreach (var http in _http.Values)
        {
            if (http.IsValueCreated)
            {
                http.Value.Dispose();
            }
        }
    }

    internal static string NormalizeBaseUrl(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl) || !Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new DirectoryException($"Connection:GraphBaseUrl '{baseUrl}' is not an absolute http(s) URL such as https://graph.microsoft.com/v1.0.", DirectoryErrorKind.Configuration);
        }

        return uri.AbsoluteUri.TrimEnd('/');
    }

    private static string CacheKey(SyncProfile profile, string baseUrl, TokenCredential? credential)
    {
        var c = profile.Connection;
        var text = new StringBuilder()
            .Append(baseUrl).Append('|').Append(c.AuthorityHost).Append('|').Append(c.TenantId).Append('|').Append(c.ClientId).Append('|')
            .Append(c.ClientSecret).Append('|').Append(c.CertificatePath).Append('|').Append(c.CertificatePassword).Append('|').Append(c.AccessToken)
            .ToString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return credential is null ? hash : hash + "|" + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(credential);
    }

    private static IAuthenticationProvider CreateAuthenticationProvider(DirectoryConnectionOptions connection, string baseUrl, TokenCredential? credential, Action<TokenCredentialOptions>? configure)
    {
        var graphHost = new Uri(baseUrl).Host;
        if (credential is null && !string.IsNullOrWhiteSpace(connection.AccessToken))
        {
            return new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(connection.AccessToken, new Uri(baseUrl)));
        }

        credential ??= CreateCredential(connection, configure);
        return new AzureIdentityAuthenticationProvider(credential, [graphHost], null, true, Scope(connection, baseUrl));
    }

    private static string Scope(DirectoryConnectionOptions connection, string baseUrl) =>
        string.IsNullOrWhiteSpace(connection.TokenScope) ? new Uri(baseUrl).GetLeftPart(UriPartial.Authority) + "/.default" : connection.TokenScope.Trim();

    private static TokenCredential CreateCredential(DirectoryConnectionOptions connection, Action<TokenCredentialOptions>? configure)
    {
        if (string.IsNullOrWhiteSpace(connection.TenantId) || string.IsNullOrWhiteSpace(connection.ClientId))
        {
            throw new DirectoryException("Connection:TenantId and Connection:ClientId are required to sign in with a client secret or certificate.", DirectoryErrorKind.Configuration);
        }

        if (!Uri.TryCreate(connection.AuthorityHost, UriKind.Absolute, out var authority))
        {
            throw new DirectoryException($"Connection:AuthorityHost '{connection.AuthorityHost}' is not an absolute URL such as https://login.microsoftonline.com/.", DirectoryErrorKind.Configuration);
        }

        if (!string.IsNullOrEmpty(connection.ClientSecret))
        {
            var secretOptions = new ClientSecretCredentialOptions { AuthorityHost = authority };
            configure?.Invoke(secretOptions);
            return new ClientSecretCredential(connection.TenantId, connection.ClientId, connection.ClientSecret, secretOptions);
        }

        if (!string.IsNullOrWhiteSpace(connection.CertificatePath))
        {
            var certificateOptions = new ClientCertificateCredentialOptions { AuthorityHost = authority };
            configure?.Invoke(certificateOptions);
            return new ClientCertificateCredential(connection.TenantId, connection.ClientId, LoadCertificate(connection), certificateOptions);
        }

        throw new DirectoryException("No credentials are configured: set Connection:ClientSecret, Connection:CertificatePath or Connection:AccessToken, or supply a credential with GraphSourceOptions.CredentialFactory.", DirectoryErrorKind.Configuration);
    }

    private static X509Certificate2 LoadCertificate(DirectoryConnectionOptions connection)
    {
        var path = connection.CertificatePath!;
        try
        {
            var certificate = path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, connection.CertificatePassword);
            return certificate.HasPrivateKey
                ? certificate
                : throw new DirectoryException($"The certificate in Connection:CertificatePath '{path}' has no private key; use a PFX or a PEM file that holds the key too.", DirectoryErrorKind.Configuration);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new DirectoryException($"The certificate in Connection:CertificatePath '{path}' could not be loaded ({ex.GetType().Name}: {ex.Message}). Check the path and Connection:CertificatePassword.", DirectoryErrorKind.Configuration, ex);
        }
    }

    private HttpClient CreateHttpClient(Uri origin)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var index = handlers.ToList().FindIndex(h => h is RetryHandler);
        var retry = new GraphRetryHandler(_options, _time, _logger);
        if (index >= 0)
        {
            handlers[index] = retry;
        }
        else
        {
            handlers.Insert(0, retry);
        }

        // Innermost, below redirects and retries: every request that would reach the network is checked.
        handlers.Add(new GraphOriginHandler(origin, _options.MaxPageBytes));

        var primary = _options.PrimaryHandlerFactory?.Invoke();
        DisableAutoRedirect(primary);
        var client = GraphClientFactory.Create(handlers, finalHandler: primary);
        client.Timeout = _options.RequestTimeout;
        return client;
    }

    /// <summary>
    /// Redirects are the SDK's redirect handler's job, above <see cref="GraphOriginHandler"/>; a platform handler that
    /// followed them itself would send requests the origin check never sees. Turns that off on a host-supplied
    /// primary handler (through any delegating handlers in front of it).
    /// </summary>
    internal static void DisableAutoRedirect(HttpMessageHandler? handler)
    {
        for (var current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            try
            {
                switch (current)
                {
                    case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                        sockets.AllowAutoRedirect = false;
                        break;
                    case HttpClientHandler { AllowAutoRedirect: true } client:
                        client.AllowAutoRedirect = false;
                        break;
                }
            }
            catch (InvalidOperationException)
            {
                // Already in use (shared by another Graph client, which turned it off first).
            }
        }
    }

    /// <summary>A ready access token, given only to requests for the configured Graph (same scheme, host and port), like the credential path's allowed hosts.</summary>
    internal sealed class StaticTokenProvider(string token, Uri graph) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([graph.Host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(PagedRead.IsOnGraph(uri, graph) ? token : string.Empty);
    }
}
