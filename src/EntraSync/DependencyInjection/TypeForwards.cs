using System.Runtime.CompilerServices;

// IEntraSyncBuilder moved to EntraSync.Abstractions (same namespace) so store packages need not reference the engine;
// the forward keeps code compiled against an earlier EntraSync.dll binding to it.
[assembly: TypeForwardedTo(typeof(Microsoft.Extensions.DependencyInjection.IEntraSyncBuilder))]
