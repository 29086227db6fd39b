// The C# blocks of docs/graph-source.md, compiled.
using Azure.Identity;
using EntraSync;
using EntraSync.Graph;
using EntraSync.Connectivity;
using EntraSync.Onboarding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

public static class GraphSourceSnippets
{
    public static void ManagedIdentity(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEntraUserSync(configuration.GetSection("EntraSync"));
        services.Configure<GraphSourceOptions>(o =>
            o.CredentialFactory = profile => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned));
    }

    public static async Task AdminConsentAsync(string appId, Uri callbackUri, Uri callbackUrl, SyncProfile profile, IDirectoryConnectivityChecker checker, byte[] signingKey, string accountId, string tenantId)
    {
        // One per app, with a key of 32+ bytes from your secret store (the same on every instance).
        var consent = new AdminConsentVerifier(signingKey, TimeProvider.System);
        // tenantId: the tid claim of the admin's Microsoft sign-in to your product, not a value the customer typed.
        var state = consent.CreateState(accountId, tenantId);         // signed: account, tenant, expiry (15 minutes)
        var url = AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = appId, RedirectUri = callbackUri, State = state, Tenant = tenantId });
        // ... the admin consents and comes back to callbackUri ...
        var result = consent.ParseCallback(callbackUrl, accountId);   // Granted / Denied / Failed / StateMismatch / StateExpired / TenantMismatch
        if (result.IsGranted)
        {
            profile.Connection.TenantId = result.TenantId;             // the signed tenant, never the answer's tenant=
            var tenant = await checker.GetTenantInfoAsync(profile);    // "the tenant name fills in automatically"
        }
    }
}
