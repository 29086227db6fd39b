namespace EntraSync.Onboarding;

/// <summary>How admin consent ended.</summary>
public enum AdminConsentStatus
{
    /// <summary>Consent was granted; <see cref="AdminConsentResult.TenantId"/> is set.</summary>
    Granted,

    /// <summary>The admin declined (<c>access_denied</c>).</summary>
    Denied,

    /// <summary>Consent failed or the answer was incomplete.</summary>
    Failed,

    /// <summary>The state is missing, was not signed by this app, was edited, or was created for another account: the answer is ignored.</summary>
    StateMismatch,

    /// <summary>The state was valid but has expired (<see cref="AdminConsentVerifier.StateLifetime"/>): the answer is ignored.</summary>
    StateExpired,

    /// <summary>The answer names another tenant than the one the state was created for (an edited <c>tenant=</c>): refused.</summary>
    TenantMismatch,
}
