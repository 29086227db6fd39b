namespace EntraSync;

/// <summary>How to connect to a tenant's Microsoft Entra ID through Microsoft Graph.</summary>
public sealed class DirectoryConnectionOptions
{
    /// <summary>Gets or sets the Entra tenant id (GUID) or a verified domain such as <c>contoso.onmicrosoft.com</c>.</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the application (client) id of the app registration.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret's value. Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the path of a certificate (PFX/PEM with private key) to authenticate with instead of a secret.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Gets or sets the certificate file's password, if any. Never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Gets or sets a ready access token to send as bearer (for emulators and proxies). Never logged.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets the Microsoft Graph base URL, for national clouds and emulators.</summary>
    /// <value>The default is <c>https://graph.microsoft.com/v1.0</c>.</value>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Gets or sets the Entra authority host, for national clouds.</summary>
    /// <value>The default is <c>https://login.microsoftonline.com/</c>.</value>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>
    /// Gets or sets the scope asked for when getting a token. Leave empty to derive it from <see cref="GraphBaseUrl"/>
    /// (<c>https://graph.microsoft.com/.default</c>, <c>https://graph.microsoft.us/.default</c>...); set it when Graph is
    /// reached through a proxy or an emulator whose address is not Graph's.
    /// </summary>
    /// <value>The default is <see langword="null"/>: derived from <see cref="GraphBaseUrl"/>.</value>
    public string? TokenScope { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"tenant {TenantId}, client {ClientId}, {GraphBaseUrl}";
}
