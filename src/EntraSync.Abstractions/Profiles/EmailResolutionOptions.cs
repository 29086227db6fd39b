namespace EntraSync;

/// <summary>
/// How a user's email is found, in order: <c>mail</c>; else the primary <c>SMTP:</c> address in
/// <c>proxyAddresses</c>, else its first secondary <c>smtp:</c>; else the first of <c>otherMails</c>; else, only when
/// enabled, the user principal name.
/// </summary>
public sealed class EmailResolutionOptions
{
    /// <summary>Gets or sets a value indicating whether <c>mail</c> is used.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseMail { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <c>proxyAddresses</c> is looked at when <c>mail</c> is empty (Xink's "Look at ProxyAddresses array").</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseProxyAddresses { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <c>otherMails</c> is looked at next (Xink's "Look at Other (Alternative) array").</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseOtherMails { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the user principal name is used as a last resort (not recommended).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UseUserPrincipalName { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a guest's <c>#EXT#</c> user principal name may be used as email when
    /// <see cref="UseUserPrincipalName"/> is on. Such UPNs are not mailboxes.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UseGuestUserPrincipalName { get; set; }
}
