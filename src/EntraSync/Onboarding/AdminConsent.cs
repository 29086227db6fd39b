using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;

namespace EntraSync.Onboarding;

/// <summary>
/// "Link Azure AD account" for a multi-tenant app: build the admin-consent URL to send a customer's admin to. The
/// answer is checked by <see cref="AdminConsentVerifier"/>, which binds it to the account and tenant chosen before the
/// redirect. After consent, read the tenant's name with
/// <see cref="Connectivity.IDirectoryConnectivityChecker.GetTenantInfoAsync"/> using the app's credentials and the
/// verified tenant id.
/// </summary>
public static class AdminConsent
{
    /// <summary>Builds the Microsoft identity platform admin-consent URL (<c>{authority}/{tenant}/v2.0/adminconsent</c>).</summary>
    /// <param name="request">The app, redirect, tenant and state (from <see cref="AdminConsentVerifier.CreateState"/>).</param>
    /// <returns>The URL to send the admin to.</returns>
    /// <exception cref="ArgumentException">A value is missing or not valid; the message names it.</exception>
    public static Uri BuildUrl(AdminConsentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.ClientId) || !Guid.TryParse(request.ClientId, out _))
        {
            throw new ArgumentException("ClientId must be the app registration's Application (client) ID, a GUID.", nameof(request));
        }

        if (request.RedirectUri is null || !request.RedirectUri.IsAbsoluteUri || request.RedirectUri.Fragment.Length > 0
            || (request.RedirectUri.Scheme != Uri.UriSchemeHttps && !request.RedirectUri.IsLoopback))
        {
            throw new ArgumentException("RedirectUri must be an absolute https URL without a fragment (http only for localhost), registered on the app under Authentication > Redirect URIs.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.State))
        {
            throw new ArgumentException("State must be set (use AdminConsentVerifier.CreateState) so the answer can be checked.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.Tenant) || request.Tenant.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Tenant must be the tenant id the state was created for, a verified domain, or 'organizations'.", nameof(request));
        }

        if (!Uri.TryCreate(request.AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("AuthorityHost must be an absolute https URL such as https://login.microsoftonline.com/.", nameof(request));
        }

        if (!Uri.TryCreate(request.GraphBaseUrl, UriKind.Absolute, out var graph))
        {
            throw new ArgumentException("GraphBaseUrl must be an absolute URL such as https://graph.microsoft.com/v1.0.", nameof(request));
        }

        var scope = graph.GetLeftPart(UriPartial.Authority) + "/.default";
        var query = new StringBuilder()
            .Append("client_id=").Append(Uri.EscapeDataString(request.ClientId.Trim()))
            .Append("&scope=").Append(Uri.EscapeDataString(scope))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(request.RedirectUri.AbsoluteUri))
            .Append("&state=").Append(Uri.EscapeDataString(request.State));
        var baseUri = new Uri(authority, Uri.EscapeDataString(request.Tenant.Trim()) + "/v2.0/adminconsent");
        return new UriBuilder(baseUri) { Query = query.ToString() }.Uri;
    }
}
