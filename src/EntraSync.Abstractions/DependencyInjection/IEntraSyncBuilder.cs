namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures EntraSync: returned by <c>AddEntraUserSync</c> so the host can plug in its store and components.
/// It lives in EntraSync.Abstractions so that a store package can offer <c>builder.AddMyStore()</c> without
/// referencing the engine (and, through it, Microsoft Graph).
/// </summary>
public interface IEntraSyncBuilder
{
    /// <summary>Gets the service collection EntraSync is registered in.</summary>
    IServiceCollection Services { get; }
}
