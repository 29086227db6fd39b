namespace EntraSync.Testing.Emulator;

/// <summary>How <see cref="GraphEmulator.AddTenant(string, Action{EmulatedTenantOptions}?)"/> sets up a tenant.</summary>
public sealed class EmulatedTenantOptions
{
    /// <summary>Gets or sets how many users <see cref="TenantGenerator"/> creates (with groups and photos).</summary>
    /// <value>The default is 0: an empty tenant.</value>
    public int UserCount { get; set; }

    /// <summary>Gets or sets the generator seed; the same seed and count give the same tenant.</summary>
    /// <value>The default is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Gets or sets the organization's display name.</summary>
    /// <value>The default is <c>Contoso</c>.</value>
    public string OrganizationName { get; set; } = "Contoso";

    /// <summary>Gets or sets the default verified domain users get their UPN and mail in.</summary>
    /// <value>The default is <c>contoso.com</c>.</value>
    public string Domain { get; set; } = "contoso.com";

    /// <summary>Gets or sets the initial <c>*.onmicrosoft.com</c> domain.</summary>
    /// <value>The default is the organization name without spaces, lower-cased, plus <c>.onmicrosoft.com</c>.</value>
    public string? InitialDomain { get; set; }

    /// <summary>Gets or sets how many items a users/delta page holds.</summary>
    /// <value>The default is 200, close to what Graph sends.</value>
    public int DeltaPageSize { get; set; } = 200;
}
