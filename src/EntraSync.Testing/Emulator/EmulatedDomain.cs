namespace EntraSync.Testing.Emulator;

/// <summary>A verified domain of an <see cref="EmulatedOrganization"/>.</summary>
public sealed class EmulatedDomain
{
    /// <summary>Gets or sets the domain name, e.g. <c>contoso.com</c>.</summary>
    public required string Name { get; set; }

    /// <summary>Gets or sets whether this is the default domain.</summary>
    public bool IsDefault { get; set; }

    /// <summary>Gets or sets whether this is the initial <c>*.onmicrosoft.com</c> domain.</summary>
    public bool IsInitial { get; set; }

    /// <summary>Gets or sets <c>type</c>.</summary>
    /// <value>The default is <c>Managed</c>.</value>
    public string Type { get; set; } = "Managed";

    /// <summary>Gets or sets <c>capabilities</c>, a comma-separated string.</summary>
    /// <value>The default is <c>Email, OfficeCommunicationsOnline</c>.</value>
    public string Capabilities { get; set; } = "Email, OfficeCommunicationsOnline";
}
