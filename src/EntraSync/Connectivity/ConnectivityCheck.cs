namespace EntraSync.Connectivity;

/// <summary>One connectivity check's outcome.</summary>
public sealed class ConnectivityCheck
{
    /// <summary>Gets the check's name (see <see cref="ConnectivityCheckNames"/>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the outcome.</summary>
    public required ConnectivityStatus Status { get; init; }

    /// <summary>Gets what was found, and for a failure what to do about it.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the Microsoft Graph application permission to grant, when the check failed for lack of one.</summary>
    public string? MissingPermission { get; init; }

    /// <summary>Gets the profile setting to fix (for example <c>Connection:ClientSecret</c> or <c>Scope:ODataFilter</c>), when one is to blame.</summary>
    public string? Setting { get; init; }

    /// <summary>Gets the kind of directory failure, when the check failed.</summary>
    public DirectoryErrorKind? ErrorKind { get; init; }

    /// <summary>Gets Entra's or Graph's error code (<c>AADSTS7000215</c>, <c>Authorization_RequestDenied</c>...), when there was one.</summary>
    public string? ErrorCode { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status} - {Message}";
}
