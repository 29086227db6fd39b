using EntraSync.Onboarding;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink.Pages;

/// <summary>Where Microsoft sends the admin back after "Link Azure AD Account" (register this URL on the app registration).</summary>
public sealed class ConsentCallbackModel(SignaturesDb db, IntegrationProfileProvider profiles, AdminConsentVerifier consent, IConfiguration configuration) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // The tenant linked is the one signed into the state for this account, never the answer's tenant= value
        // (which the admin's browser can edit): an answer naming another tenant is refused.
        var result = consent.ParseCallback(new Uri(Request.GetEncodedUrl()), SignaturesApp.AccountId);
        if (!result.IsGranted)
        {
            TempData["Error"] = result.Message;
            return RedirectToPage("/Integration");
        }

        var settings = (await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!;
        var demo = string.IsNullOrWhiteSpace(configuration["EntraApp:ClientId"]);
        settings.Connection = demo ? ConnectionKind.DemoTenant : ConnectionKind.LinkedAccount;
        settings.EntraTenantId = result.TenantId;
        settings.ClientId = settings.ClientSecret = null;
        settings.FullSyncRequired = true;
        var (name, problem) = await profiles.ReadTenantNameAsync(db, settings, cancellationToken);
        settings.TenantName = name ?? result.TenantId;
        await db.SaveChangesAsync(cancellationToken);
        TempData[problem is null ? "Message" : "Error"] = $"Linked to {settings.TenantName}. {problem ?? result.Message}";
        return RedirectToPage("/Integration");
    }
}
