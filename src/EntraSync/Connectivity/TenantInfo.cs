namespace EntraSync.Connectivity;

/// <summary>A tenant's organization as Graph describes it: the "tenant name fills in automatically" of onboarding.</summary>
public sealed class TenantInfo
{
    /// <summary>Gets the tenant id (GUID).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the organization's display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the default verified domain, for example <c>contoso.com</c>.</summary>
    public string? DefaultDomain { get; init; }

    /// <summary>Gets the initial domain, for example <c>contoso.onmicrosoft.com</c>.</summary>
    public string? InitialDomain { get; init; }

    /// <summary>Gets every verified domain name.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> VerifiedDomains { get; init; } = [];
}
