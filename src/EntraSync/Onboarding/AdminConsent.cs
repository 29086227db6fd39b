using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace EntraSync.Onboarding;

/// <summary>
/// "Link Azure AD account" for a multi-tenant app: build the admin-consent URL to send a customer's admin to, then
/// validate and read the redirect back. After consent, read the tenant's name with
/// <see cref="Connectivity.IDirectoryConnectivityChecker.GetTenantInfoAsync"/> using the app's credentials and the
/// returned tenant id.
/// </summary>
public static class AdminConsent
{
    /// <summary>Creates an unguessable <c>state</c> value (32 random bytes, base64url) to keep with the admin's session.</summary>
    /// <returns>The state.</returns>
    public static string CreateState() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Builds the Microsoft identity platform admin-consent URL (<c>{authority}/{tenant}/v2.0/adminconsent</c>).</summary>
    /// <param name="request">The app, redirect and state.</param>
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
            throw new ArgumentException("State must be set (use AdminConsent.CreateState()) and kept with the admin's session to check the callback.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.Tenant) || request.Tenant.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Tenant must be 'organizations', a tenant id or a verified domain.", nameof(request));
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

    /// <summary>
    /// Validates and reads the redirect back from admin consent: the state must match what was sent (compared in
    /// constant time), then either <c>admin_consent=True</c> with the tenant id, or <c>error</c> and <c>error_description</c>.
    /// </summary>
    /// <param name="callback">The full URL the admin's browser came back to.</param>
    /// <param name="expectedState">The state kept with the admin's session.</param>
    /// <returns>The outcome; never throws for a bad callback.</returns>
    public static AdminConsentResult ParseCallback(Uri callback, string expectedState)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentException.ThrowIfNullOrEmpty(expectedState);
        var query = HttpUtility.ParseQueryString(callback.IsAbsoluteUri ? callback.Query : callback.OriginalString.Split('?', 2) is [_, var q] ? q : "");
        var state = query["state"];
        var tenant = query["tenant"];
        var error = query["error"];
        var description = query["error_description"];
        if (state is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(expectedState)))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.StateMismatch,
                Message = "The consent answer does not belong to this sign-in (state mismatch): it was ignored. Start Link account again.",
            };
        }

        if (!string.IsNullOrEmpty(error))
        {
            var declined = string.Equals(error, "access_denied", StringComparison.OrdinalIgnoreCase);
            return new AdminConsentResult
            {
                Status = declined ? AdminConsentStatus.Denied : AdminConsentStatus.Failed,
                TenantId = Guid.TryParse(tenant, out _) ? tenant : null,
                Error = error,
                ErrorDescription = description,
                Message = declined
                    ? "Consent was not granted: " + (description ?? "the administrator declined") + ". An administrator (Global, Application or Cloud Application Administrator) must accept, ticking Consent on behalf of your organization."
                    : $"Consent failed ({error}): {description ?? "no description"}.",
            };
        }

        if (!string.Equals(query["admin_consent"], "True", StringComparison.OrdinalIgnoreCase))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.Failed,
                TenantId = Guid.TryParse(tenant, out _) ? tenant : null,
                Message = "The consent answer says neither granted nor failed (admin_consent is missing). Start Link account again.",
            };
        }

        if (!Guid.TryParse(tenant, out var tenantId))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.Failed,
                Message = "Consent was granted but the answer has no valid tenant id. Start Link account again.",
            };
        }

        return new AdminConsentResult
        {
            Status = AdminConsentStatus.Granted,
            TenantId = tenantId.ToString("D"),
            Scope = query["scope"],
            Message = $"Consent granted for tenant {tenantId:D}.",
        };
    }
}

/// <summary>What the admin-consent URL carries.</summary>
public sealed class AdminConsentRequest
{
    /// <summary>Gets the multi-tenant app's Application (client) ID.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets where the admin's browser comes back to; it must be registered on the app.</summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>Gets the value to find the admin's session again and to reject forged answers (see <see cref="AdminConsent.CreateState"/>).</summary>
    public required string State { get; init; }

    /// <summary>Gets the tenant to ask: <c>organizations</c> lets the admin's own sign-in choose it.</summary>
    /// <value>The default is <c>organizations</c>.</value>
    public string Tenant { get; init; } = "organizations";

    /// <summary>Gets the Entra authority host, for national clouds.</summary>
    /// <value>The default is <c>https://login.microsoftonline.com/</c>.</value>
    public string AuthorityHost { get; init; } = "https://login.microsoftonline.com/";

    /// <summary>Gets the Microsoft Graph base URL whose permissions are consented (<c>{host}/.default</c>).</summary>
    /// <value>The default is <c>https://graph.microsoft.com/v1.0</c>.</value>
    public string GraphBaseUrl { get; init; } = "https://graph.microsoft.com/v1.0";
}

/// <summary>The outcome of an admin-consent redirect.</summary>
public sealed class AdminConsentResult
{
    /// <summary>Gets the outcome.</summary>
    public required AdminConsentStatus Status { get; init; }

    /// <summary>Gets a value indicating whether consent was granted.</summary>
    public bool IsGranted => Status == AdminConsentStatus.Granted;

    /// <summary>Gets the consenting tenant's id (GUID), when known.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the scopes granted, as returned.</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the error code returned (<c>access_denied</c>...), when consent failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the error description returned (often with an <c>AADSTS</c> code), when consent failed.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>Gets what happened and what to do, for the admin.</summary>
    public required string Message { get; init; }
}

/// <summary>How admin consent ended.</summary>
public enum AdminConsentStatus
{
    /// <summary>Consent was granted; <see cref="AdminConsentResult.TenantId"/> is set.</summary>
    Granted,

    /// <summary>The admin declined (<c>access_denied</c>).</summary>
    Denied,

    /// <summary>Consent failed or the answer was incomplete.</summary>
    Failed,

    /// <summary>The state did not match what was sent: a forged or stale answer, ignored.</summary>
    StateMismatch,
}
