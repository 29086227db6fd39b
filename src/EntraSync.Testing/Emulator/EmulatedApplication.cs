namespace EntraSync.Testing.Emulator;

/// <summary>
/// An app registration (service principal) in an <see cref="EmulatedTenant"/>, used by the emulated Entra token
/// endpoint (<c>POST /{tenant}/oauth2/v2.0/token</c>) for the client-credentials flow.
/// </summary>
public sealed class EmulatedApplication
{
    /// <summary>Gets the application (client) id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets or sets the client secret value the token endpoint accepts.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets when the secret expires (by the emulator's clock); <see langword="null"/> never expires.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public DateTimeOffset? SecretExpiresAt { get; set; }

    /// <summary>
    /// Gets or sets whether a <c>client_assertion</c> (certificate credential) is accepted. The emulator does not
    /// verify the assertion's signature.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AcceptClientAssertion { get; set; } = true;
}
