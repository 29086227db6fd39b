namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures EntraSync: returned by <c>AddEntraUserSync</c> so the host can plug in its store and components.</summary>
public interface IEntraSyncBuilder
{
    /// <summary>Gets the service collection EntraSync is registered in.</summary>
    IServiceCollection Services { get; }
}
