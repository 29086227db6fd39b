using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Options;

namespace EntraSync.Graph.Tests;

/// <summary>Profiles, sources and reads against the Graph emulator, with the real Microsoft.Graph client underneath.</summary>
internal static class Emulator
{
    public static readonly string[] Properties = ["id", "displayName", "givenName", "surname", "mail", "proxyAddresses", "otherMails", "userPrincipalName", "jobTitle", "department"];

    public static GraphDirectorySource Source(GraphSourceOptions? options = null, TimeProvider? time = null) =>
        new(Options.Create(options ?? new GraphSourceOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) }), time ?? TimeProvider.System);

    public static SyncProfile Profile(GraphEmulator emulator, EmulatedTenant? tenant = null, Action<SyncProfile>? configure = null)
    {
        tenant ??= emulator.DefaultTenant;
        var profile = new SyncProfile
        {
            TenantId = tenant.Id,
            Connection = new DirectoryConnectionOptions { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
        };
        profile.Photos.Size = null;
        configure?.Invoke(profile);
        return profile;
    }

    public static DirectoryReadRequest Request(SyncProfile profile, SyncCheckpoint? checkpoint = null, IReadOnlyCollection<string>? properties = null) => new()
    {
        Context = new SyncContext { TenantId = profile.TenantId, RunId = "test", Profile = profile },
        Mode = checkpoint is null ? SyncMode.Full : SyncMode.Incremental,
        Checkpoint = checkpoint,
        Properties = properties ?? Properties,
    };

    public static async Task<List<DirectoryPage>> ReadAllAsync(this IDirectorySource source, DirectoryReadRequest request)
    {
        var pages = new List<DirectoryPage>();
        await foreach (var page in source.ReadUsersAsync(request))
        {
            pages.Add(page);
        }

        return pages;
    }

    public static DirectoryReadCompletion Completion(this List<DirectoryPage> pages)
    {
        Assert.All(pages.SkipLast(1), p => Assert.Null(p.Completion));
        return Assert.IsType<DirectoryReadCompletion>(pages[^1].Completion);
    }

    public static List<DirectoryUser> Users(this List<DirectoryPage> pages) => pages.SelectMany(p => p.Users).ToList();

    public static EmulatedUser Person(string given, string surname, Action<EmulatedUser>? configure = null)
    {
        var local = (given + "." + surname).ToLowerInvariant();
        var user = new EmulatedUser
        {
            GivenName = given,
            Surname = surname,
            DisplayName = given + " " + surname,
            UserPrincipalName = local + "@contoso.com",
            Mail = local + "@contoso.com",
            AccountEnabled = true,
            UserType = "Member",
        };
        configure?.Invoke(user);
        return user;
    }

    public static string? Header(this EmulatorRequest request, string name) =>
        request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Only GETs reached Graph, and JSON batches (which the read-only guard lets through only when every sub-request is a GET).</summary>
    public static void AssertOnlyGets(GraphEmulator emulator) =>
        Assert.All(
            emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal) && !(r.Method == "POST" && r.PathAndQuery == "/v1.0/$batch")),
            r => Assert.Equal("GET", r.Method));
}
