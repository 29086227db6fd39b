using Azure.Core;

namespace EntraSync.Graph;

/// <summary>Settings of the Microsoft Graph directory source shared by every tenant (per-tenant settings live in <see cref="SyncProfile"/>).</summary>
public sealed class GraphSourceOptions
{
    /// <summary>
    /// Gets or sets a function that supplies the credential for a tenant (managed identity, workload identity, a
    /// Key Vault certificate...). Returning <see langword="null"/> falls back to the profile's
    /// <see cref="DirectoryConnectionOptions"/> (access token, client secret or certificate).
    /// </summary>
    /// <value>The default is <see langword="null"/>: credentials come from the profile.</value>
    public Func<SyncProfile, TokenCredential?>? CredentialFactory { get; set; }

    /// <summary>
    /// Gets or sets a callback that adjusts the options of the client-secret and certificate credentials built from a
    /// profile (a proxy or custom transport for the token endpoint, instance discovery for private clouds...).
    /// The options object is a <see cref="Azure.Identity.ClientSecretCredentialOptions"/> or a
    /// <see cref="Azure.Identity.ClientCertificateCredentialOptions"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<Azure.Identity.TokenCredentialOptions>? ConfigureCredentialOptions { get; set; }

    /// <summary>
    /// Gets or sets a function that creates the innermost HTTP handler (for a proxy, custom TLS trust or tests).
    /// The SDK's handlers (authentication, retry, redirects) always run in front of it.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the platform's handler.</value>
    public Func<HttpMessageHandler>? PrimaryHandlerFactory { get; set; }

    /// <summary>Gets or sets how many times a throttled (429) or unavailable (5xx) request is retried.</summary>
    /// <value>The default is 6.</value>
    public int MaxRetries { get; set; } = 6;

    /// <summary>Gets or sets the first back-off delay when Graph sends no <c>Retry-After</c>; it doubles per attempt.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest single wait; a <c>Retry-After</c> above it ends the read as throttled instead of waiting.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how many times one page is requested when its body is cut off mid-way. Pages are handed on only
    /// when complete, so asking again loses and duplicates nothing.
    /// </summary>
    /// <value>The default is 3.</value>
    public int MaxPageAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets the most pages one directory read may take (all its <c>/users</c>, delta and group-member pages
    /// together). A read that goes past it ends incomplete (nobody is removed) instead of following links for ever.
    /// </summary>
    /// <value>The default is 50,000 pages: 10 million users at the 200 per page of a delta round, 50 million on <c>/users</c>.</value>
    public int MaxPagesPerRead { get; set; } = 50_000;

    /// <summary>
    /// Gets or sets the largest body one collection page may have, counted as it arrives. A bigger page ends the read
    /// incomplete (nobody is removed) with a message naming this option, instead of holding it in memory.
    /// </summary>
    /// <value>The default is 64 MiB (a 999-user page of Graph is a few MiB, even with many extension properties).</value>
    public long MaxPageBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest profile photo downloaded. A bigger photo is skipped for that user (a warning in the
    /// report; the rest of the change applies and the photo is tried again next run).
    /// </summary>
    /// <value>The default is 8 MiB (Microsoft Graph accepts photos of up to 4 MB).</value>
    public long MaxPhotoBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// Gets or sets how many photo requests go in one Microsoft Graph JSON batch (<c>POST /$batch</c>, whose every
    /// sub-request is a GET of <c>/users/{id}/photo...</c>): photo metadata is read 20 users per round trip, photos are
    /// downloaded 10 users per round trip (metadata and bytes). 1 turns batching off: one GET per request.
    /// <see cref="MaxPhotoBytes"/> applies to every photo either way.
    /// </summary>
    /// <value>The default is 20, Graph's most per batch.</value>
    public int PhotoRequestsPerBatch { get; set; } = 20;

    /// <summary>Gets or sets the time allowed for one request, headers and body.</summary>
    /// <value>The default is 100 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets or sets how a full read is done when the next run should be incremental.</summary>
    /// <value>The default is <see cref="GraphFullReadStrategy.LatestDeltaTokenThenList"/> (measured faster; see docs/benchmarks.md).</value>
    public GraphFullReadStrategy FullReadStrategy { get; set; } = GraphFullReadStrategy.LatestDeltaTokenThenList;
}
