// The C# blocks of docs/emulator.md, compiled.
using Azure.Core.Pipeline;
using Azure.Identity;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Snippets;

public static class EmulatorSnippets
{
    public static async Task InTestsAsync(HttpClient httpClient, IAuthenticationProvider authProvider, string tenantId)
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            DefaultTenantUserCount = 500,   // generated users (deterministic for a seed)
            Seed = 42,
        });

        // The real Graph SDK, with its retry, redirect and auth handlers, pointed at the emulator (the emulator itself
        // does not reference the Graph SDK; a token from CreateAccessToken selects the tenant):
        HttpClient withHandlers = GraphClientFactory.Create();
        withHandlers.DefaultRequestHeaders.Authorization = new("Bearer", emulator.CreateAccessToken());
        GraphServiceClient client = new(withHandlers, baseUrl: emulator.GraphBaseUrl);
        var page = await client.Users.GetAsync(r => r.QueryParameters.Top = 999);

        // Or wire it up yourself. This is what a host app does in its own test setup:
        var graph = new GraphServiceClient(httpClient, authProvider, emulator.GraphBaseUrl);   // http://127.0.0.1:PORT/v1.0
        var bearer = emulator.CreateAccessToken(tenantId);                                      // selects the tenant

        // Raw HTTP with a bearer token already set:
        using HttpClient http = emulator.CreateHttpClient();
        var json = await http.GetStringAsync("v1.0/users/delta?$select=displayName,mail");
    }

    public static void ShapeTheTenant(
        GraphEmulator emulator, string userOrGroupId, string userId, byte[] jpegBytes,
        string clientId, string clientSecret, DateTimeOffset secretExpiresAt)
    {
        EmulatedTenant tenant = emulator.DefaultTenant;                       // created at start
        EmulatedTenant other = emulator.AddTenant("6babcaad-604b-40ac-a9d7-9fd97c0b779f", t =>
        {
            t.UserCount = 1_000; t.Seed = 7; t.OrganizationName = "Fabrikam"; t.Domain = "fabrikam.com";
        });

        var adele = tenant.AddUser(new EmulatedUser
        {
            DisplayName = "Adele Vance", GivenName = "Adele", Surname = "Vance",
            UserPrincipalName = "adele@contoso.com", Mail = "adele@contoso.com", Department = "Retail",
        });
        // also settable: adele.ProxyAddresses, OtherMails, BusinessPhones, AssignedLicenses, OnPremisesExtensionAttributes["extensionAttribute1"]
        adele.AdditionalProperties["extension_<appIdWithoutDashes>_employeeNumber"] = "E123";

        tenant.UpdateUser(adele.Id, u => u.JobTitle = "Retail Manager"); // delta reports it if jobTitle is tracked
        tenant.DeleteUser(adele.Id);                                      // soft delete: delta "@removed": {"reason":"changed"}
        tenant.RestoreUser(adele.Id);                                     // comes back as a normal delta item
        tenant.PermanentlyDeleteUser(adele.Id);                           // hard delete: "@removed": {"reason":"deleted"}

        var group = tenant.AddGroup(new EmulatedGroup { DisplayName = "Sales" });
        tenant.AddMember(group, userOrGroupId);                           // nested groups work with transitiveMembers
        tenant.SetPhoto(userId, jpegBytes);                               // media ETag derived from the bytes, with quotes
        tenant.DenyPermission("GroupMember.Read.All");                    // 403 Authorization_RequestDenied on members
        tenant.ResetDeltaState();                                         // outstanding delta links answer 410 Gone
        tenant.ExpireDeltaTokens();                                       // outstanding delta links answer 400 syncStateNotFound
        tenant.ReplayDeltaDuplicates = true;                              // duplicates within and across rounds
        tenant.DeltaPageSize = 200;                                       // default
        tenant.AddApplication(clientId, clientSecret, secretExpiresAt);   // for the token endpoint
    }

    public static async Task ExpiryAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-03-01T09:00:00Z"));
        await using var emulator = await GraphEmulator.StartAsync(new() { TimeProvider = clock });
        // ... get a deltaLink ...
        clock.Advance(TimeSpan.FromDays(8));   // the deltaLink now answers 400 syncStateNotFound
    }

    public static async Task HttpsAsync()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true });
        emulator.DefaultTenant.AddApplication("my-client-id", "my-secret");
        var credential = new ClientSecretCredential(emulator.DefaultTenant.Id, "my-client-id", "my-secret", new ClientSecretCredentialOptions
        {
            AuthorityHost = emulator.HttpsBaseAddress,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(emulator.CreateTrustingHandler()),
        });
        var graph = new GraphServiceClient(new HttpClient(emulator.CreateTrustingHandler()),
            new AzureIdentityAuthenticationProvider(credential, [emulator.HttpsBaseAddress!.Host], null, true, "https://graph.microsoft.com/.default"),
            emulator.HttpsBaseAddress + "v1.0");
    }
}
