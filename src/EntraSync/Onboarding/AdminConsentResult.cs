namespace EntraSync.Onboarding;

/// <summary>The outcome of an admin-consent redirect.</summary>
public sealed class AdminConsentResult
{
    /// <summary>Gets the outcome.</summary>
    public required AdminConsentStatus Status { get; init; }

    /// <summary>Gets a value indicating whether consent was granted.</summary>
    public bool IsGranted => Status == AdminConsentStatus.Granted;

    /// <summary>
    /// Gets the tenant id (GUID) the consent is for: the one in the signed state, which a granted answer matched. Never
    /// the answer's unverified <c>tenant</c> value; <see langword="null"/> when the state could not be verified or the
    /// answer named another tenant.
    /// </summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the product's account from the signed state, or <see langword="null"/> when the state could not be verified.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the scopes granted, as returned.</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the error code returned (<c>access_denied</c>...), when consent failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the error description returned (often with an <c>AADSTS</c> code), when consent failed.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>Gets what happened and what to do, for the admin.</summary>
    public required string Message { get; init; }
}
