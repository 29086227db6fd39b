namespace EntraSync.Email;

/// <summary>
/// Finds a user's email the way Xink does: <c>mail</c>; else the primary <c>SMTP:</c> address in
/// <c>proxyAddresses</c> (upper-case prefix), else the first secondary <c>smtp:</c>; else the first of
/// <c>otherMails</c>; else, only when enabled, the user principal name (never a guest's <c>#EXT#</c> one unless asked).
/// </summary>
public static class EmailResolver
{
    /// <summary>The Graph properties email resolution reads.</summary>
    /// <param name="options">The profile's email options.</param>
    /// <returns>The property names.</returns>
    public static IReadOnlyCollection<string> GetRequiredProperties(EmailResolutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new List<string>(4);
        if (options.UseMail)
        {
            properties.Add("mail");
        }

        if (options.UseProxyAddresses)
        {
            properties.Add("proxyAddresses");
        }

        if (options.UseOtherMails)
        {
            properties.Add("otherMails");
        }

        if (options.UseUserPrincipalName)
        {
            properties.Add("userPrincipalName");
        }

        return properties;
    }

    /// <summary>Resolves a user's email.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="options">The profile's email options.</param>
    /// <returns>The email, trimmed, or <see langword="null"/> when none is found.</returns>
    public static string? Resolve(DirectoryUser user, EmailResolutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        if (options.UseMail && Clean(user.GetString("mail")) is { } mail)
        {
            return mail;
        }

        if (options.UseProxyAddresses && FromProxyAddresses(user.GetList("proxyAddresses")) is { } proxy)
        {
            return proxy;
        }

        if (options.UseOtherMails)
        {
            foreach (var other in user.GetList("otherMails"))
            {
                if (Clean(other) is { } cleaned)
                {
                    return cleaned;
                }
            }
        }

        if (options.UseUserPrincipalName && Clean(user.GetString("userPrincipalName")) is { } upn
            && (options.UseGuestUserPrincipalName || !upn.Contains("#EXT#", StringComparison.OrdinalIgnoreCase)))
        {
            return upn;
        }

        return null;
    }

    /// <summary>Picks the primary SMTP address (upper-case <c>SMTP:</c>), else the first secondary (<c>smtp:</c>); other types are ignored.</summary>
    /// <param name="proxyAddresses">The user's proxy addresses.</param>
    /// <returns>The address, or <see langword="null"/>.</returns>
    public static string? FromProxyAddresses(IReadOnlyList<string> proxyAddresses)
    {
        ArgumentNullException.ThrowIfNull(proxyAddresses);
        string? secondary = null;
        foreach (var entry in proxyAddresses)
        {
            if (entry is null || entry.Length < 5 || !entry.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var address = Clean(entry[5..]);
            if (address is null)
            {
                continue;
            }

            if (entry.StartsWith("SMTP:", StringComparison.Ordinal))
            {
                return address;
            }

            secondary ??= address;
        }

        return secondary;
    }

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim().Trim('\'', '"').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
