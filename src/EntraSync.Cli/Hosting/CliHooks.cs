using Azure.Identity;
using EntraSync.Cli.Demo;

namespace EntraSync.Cli.Hosting;

/// <summary>
/// Seams for tests that run the tool in process: the TLS trust of a local token endpoint, and a look at the demo
/// tenant. The shipped tool passes none.
/// </summary>
internal sealed class CliHooks
{
    public static CliHooks None { get; } = new();

    /// <summary>Gets the innermost HTTP handler for Graph requests (not used for the demo tenant).</summary>
    public Func<HttpMessageHandler>? PrimaryHandlerFactory { get; init; }

    /// <summary>Gets a final say over the sign-in credential's options (for example a transport trusting a test certificate).</summary>
    public Action<TokenCredentialOptions>? ConfigureCredentialOptions { get; init; }

    /// <summary>Gets a callback that sees the demo tenant once it is running, before the command reads it.</summary>
    public Action<DemoDirectory>? DemoStarted { get; init; }
}
