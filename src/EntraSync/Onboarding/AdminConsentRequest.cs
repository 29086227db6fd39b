namespace EntraSync.Onboarding;

/// <summary>What the admin-consent URL carries.</summary>
public sealed class AdminConsentRequest
{
    /// <summary>Gets the multi-tenant app's Application (client) ID.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets where the admin's browser comes back to; it must be registered on the app.</summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>Gets the signed state from <see cref="AdminConsentVerifier.CreateState"/>, which binds the answer to the account and tenant.</summary>
    public required string State { get; init; }

    /// <summary>
    /// Gets the tenant to ask: the tenant id the state was created for, so Microsoft asks an administrator of that
    /// tenant. (<c>organizations</c> lets the admin's sign-in choose, but <see cref="AdminConsentVerifier"/> then
    /// refuses any tenant other than the state's.)
    /// </summary>
    /// <value>The default is <c>organizations</c>.</value>
    public string Tenant { get; init; } = "organizations";

    /// <summary>Gets the Entra authority host, for national clouds.</summary>
    /// <value>The default is <c>https://login.microsoftonline.com/</c>.</value>
    public string AuthorityHost { get; init; } = "https://login.microsoftonline.com/";

    /// <summary>Gets the Microsoft Graph base URL whose permissions are consented (<c>{host}/.default</c>).</summary>
    /// <value>The default is <c>https://graph.microsoft.com/v1.0</c>.</value>
    public string GraphBaseUrl { get; init; } = "https://graph.microsoft.com/v1.0";
}
