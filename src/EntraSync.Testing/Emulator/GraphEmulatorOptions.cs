using Microsoft.Extensions.Logging;

namespace EntraSync.Testing.Emulator;

/// <summary>Options for <see cref="GraphEmulator.StartAsync(GraphEmulatorOptions?, CancellationToken)"/>.</summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Gets or sets the HTTP address to listen on. Port 0 picks a free port.</summary>
    /// <value>The default is <c>http://127.0.0.1:0</c>.</value>
    public Uri Url { get; set; } = new("http://127.0.0.1:0");

    /// <summary>
    /// Gets or sets whether to also listen on HTTPS (with a self-signed certificate made in process, see
    /// <see cref="GraphEmulator.Certificate"/>). Azure.Identity/MSAL need an https authority for the token endpoint.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EnableHttps { get; set; }

    /// <summary>Gets or sets the HTTPS address when <see cref="EnableHttps"/> is set. Port 0 picks a free port.</summary>
    /// <value>The default is <c>https://127.0.0.1:0</c>.</value>
    public Uri HttpsUrl { get; set; } = new("https://127.0.0.1:0");

    /// <summary>Gets or sets the id of the tenant created at start (<see cref="GraphEmulator.DefaultTenant"/>).</summary>
    /// <value>The default is <c>00000000-0000-0000-0000-000000000001</c>.</value>
    public string DefaultTenantId { get; set; } = "00000000-0000-0000-0000-000000000001";

    /// <summary>Gets or sets how many users are generated in the default tenant.</summary>
    /// <value>The default is 0: an empty tenant.</value>
    public int DefaultTenantUserCount { get; set; }

    /// <summary>Gets or sets the seed for the default tenant's generator and for fault sampling.</summary>
    /// <value>The default is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets further setup of the default tenant.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<EmulatedTenantOptions>? ConfigureDefaultTenant { get; set; }

    /// <summary>
    /// Gets or sets the emulator's clock: delta links expire 7 days after issue, tokens carry issue and expiry
    /// times, error bodies carry dates, and injected latency waits on it. Use a FakeTimeProvider to test expiry.
    /// </summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how many requests the request log keeps (oldest dropped first).</summary>
    /// <value>The default is 10,000.</value>
    public int RequestLogCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets the logging setup for the emulator's web host.</summary>
    /// <value>The default is <see langword="null"/>: no logging.</value>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
