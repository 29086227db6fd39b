using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>Profiles held like a multi-tenant host holds them in its database; tests change them between runs.</summary>
public sealed class TestProfiles : ISyncProfileProvider
{
    private readonly ConcurrentDictionary<string, SyncProfile> _profiles = new(StringComparer.OrdinalIgnoreCase);

    public void Set(SyncProfile profile) => _profiles[profile.TenantId] = profile;

    public SyncProfile Get(string tenantId) => _profiles[tenantId];

    public ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_profiles.GetValueOrDefault(tenantId));

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var profile in _profiles.Values.OrderBy(p => p.TenantId, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return profile;
        }

        await Task.CompletedTask;
    }
}

/// <summary>Directory users for the scenarios: well-formed people, each with a unique id and email.</summary>
public static class People
{
    public static string Id(int i) => $"00000000-0000-4000-8000-{i:D12}";

    public static EmulatedUser Person(int i, string domain = "contoso.example") => new()
    {
        Id = Id(i),
        GivenName = $"Given{i}",
        Surname = $"Surname{i}",
        DisplayName = $"Given{i} Surname{i}",
        Mail = $"person{i}@{domain}",
        UserPrincipalName = $"person{i}@{domain}",
        JobTitle = "Consultant",
        Department = i % 3 == 0 ? "Sales" : "Support",
        City = "Copenhagen",
        AccountEnabled = true,
        UserType = "Member",
    };

    public static List<EmulatedUser> Range(int from, int count, string domain = "contoso.example") =>
        Enumerable.Range(from, count).Select(i => Person(i, domain)).ToList();
}
