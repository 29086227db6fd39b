using Microsoft.Extensions.Options;

namespace EntraSync.Profiles.Internal;

/// <summary>The default <see cref="ISyncProfileProvider"/>: the profiles in <see cref="EntraSyncOptions.Tenants"/>.</summary>
internal sealed class OptionsSyncProfileProvider(IOptionsMonitor<EntraSyncOptions> options) : ISyncProfileProvider
{
    public ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(options.CurrentValue.Tenants.FirstOrDefault(t => string.Equals(t.TenantId, tenantId, StringComparison.OrdinalIgnoreCase)));

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var profile in options.CurrentValue.Tenants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return profile;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
