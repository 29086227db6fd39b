using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EntraSync.Quartz.TestHost;

/// <summary>A tenant of the fleet as the tests write it to the profiles file.</summary>
public sealed class FleetProfile
{
    public required string TenantId { get; init; }

    public required string GraphBaseUrl { get; init; }

    public required string AccessToken { get; init; }

    public SyncProfile ToProfile()
    {
        var profile = new SyncProfile { TenantId = TenantId, Version = "1" };
        profile.Connection.TenantId = TenantId;
        profile.Connection.GraphBaseUrl = GraphBaseUrl;
        profile.Connection.AccessToken = AccessToken;
        profile.Photos.Size = null;
        profile.Schedule.Interval = TimeSpan.FromMinutes(1);
        return profile;
    }
}

/// <summary>Profiles read from the JSON file the tests wrote (read once: the fleet's tenants do not change).</summary>
public sealed class FileProfileProvider(string path) : ISyncProfileProvider
{
    private readonly Lazy<Dictionary<string, SyncProfile>> _profiles = new(() =>
        JsonSerializer.Deserialize<List<FleetProfile>>(File.ReadAllText(path))!
            .Select(p => p.ToProfile())
            .ToDictionary(p => p.TenantId, StringComparer.OrdinalIgnoreCase));

    public ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_profiles.Value.GetValueOrDefault(tenantId));

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var profile in _profiles.Value.Values)
        {
            await Task.Yield();
            yield return profile;
        }
    }
}
