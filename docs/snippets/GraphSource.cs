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

    public static async Task AdminConsentAsync(string appId, Uri callbackUri, Uri callbackUrl, SyncProfile profile, IDirectoryConnectivityChecker checker)
    {
        var state = AdminConsent.CreateState();                       // keep it with the admin's session
        var url = AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = appId, RedirectUri = callbackUri, State = state });
        // ... the admin consents and comes back to callbackUri ...
        var result = AdminConsent.ParseCallback(callbackUrl, state);  // Granted / Denied / Failed / StateMismatch
        if (result.IsGranted)
        {
            profile.Connection.TenantId = result.TenantId;             // same app credentials, the customer's tenant
            var tenant = await checker.GetTenantInfoAsync(profile);    // "the tenant name fills in automatically"
        }
    }
}
