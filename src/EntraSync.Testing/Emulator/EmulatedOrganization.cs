namespace EntraSync.Testing.Emulator;

/// <summary>The <c>organization</c> of an <see cref="EmulatedTenant"/>, as served by <c>GET /v1.0/organization</c>.</summary>
public sealed class EmulatedOrganization
{
    /// <summary>Gets or sets <c>displayName</c>.</summary>
    /// <value>The default is <c>Contoso</c>.</value>
    public string DisplayName { get; set; } = "Contoso";

    /// <summary>Gets or sets <c>countryLetterCode</c>.</summary>
    /// <value>The default is <c>DK</c>.</value>
    public string? CountryLetterCode { get; set; } = "DK";

    /// <summary>Gets or sets <c>city</c>.</summary>
    public string? City { get; set; }

    /// <summary>Gets or sets <c>preferredLanguage</c>.</summary>
    /// <value>The default is <c>en</c>.</value>
    public string? PreferredLanguage { get; set; } = "en";

    /// <summary>Gets or sets <c>createdDateTime</c>.</summary>
    /// <value>The default is 2021-08-02T10:30:06Z.</value>
    public DateTimeOffset CreatedDateTime { get; set; } = new(2021, 8, 2, 10, 30, 6, TimeSpan.Zero);

    /// <summary>Gets <c>verifiedDomains</c>. The tenant adds its initial <c>*.onmicrosoft.com</c> domain.</summary>
    public IList<EmulatedDomain> VerifiedDomains { get; } = [];
}
