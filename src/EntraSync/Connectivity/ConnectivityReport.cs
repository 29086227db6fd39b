namespace EntraSync.Connectivity;

/// <summary>The result of "Check connectivity" for one tenant: one entry per check, the tenant's name and domains, and a user count.</summary>
public sealed class ConnectivityReport
{
    /// <summary>Gets the tenant key of the profile that was checked.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the checks in the order they ran.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<ConnectivityCheck> Checks { get; init; } = [];

    /// <summary>Gets a value indicating whether sync can run: no check failed (warnings and skipped checks are allowed).</summary>
    public bool IsHealthy => Checks.All(c => c.Status != ConnectivityStatus.Failed);

    /// <summary>Gets the organization as Graph describes it, or <see langword="null"/> when it could not be read.</summary>
    public TenantInfo? Tenant { get; init; }

    /// <summary>Gets the number of users in scope (Graph's <c>$count</c>), or <see langword="null"/> when it could not be counted cheaply.</summary>
    public long? UsersInScope { get; init; }

    /// <summary>Gets the first failed check, or <see langword="null"/>.</summary>
    public ConnectivityCheck? FirstFailure => Checks.FirstOrDefault(c => c.Status == ConnectivityStatus.Failed);
}

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

/// <summary>How a connectivity check ended.</summary>
public enum ConnectivityStatus
{
    /// <summary>The check passed.</summary>
    Passed,

    /// <summary>Sync works, but something is missing (for example the tenant name cannot be read).</summary>
    Warning,

    /// <summary>Sync cannot work until this is fixed.</summary>
    Failed,

    /// <summary>The check did not run: it does not apply, or an earlier check failed.</summary>
    Skipped,
}

/// <summary>The names of the connectivity checks, in the order they run.</summary>
public static class ConnectivityCheckNames
{
    /// <summary>Getting an access token from Entra ID with the configured credentials.</summary>
    public const string Token = "Token";

    /// <summary>Reading the organization (tenant name and default domain).</summary>
    public const string Organization = "Organization";

    /// <summary>Reading users (User.Read.All).</summary>
    public const string Users = "Users";

    /// <summary>Reading the configured groups' members (GroupMember.Read.All).</summary>
    public const string Groups = "Groups";

    /// <summary>Reading profile photos (ProfilePhoto.Read.All), when photos are enabled.</summary>
    public const string Photos = "Photos";

    /// <summary>Running the tenant's OData filter with <c>$top=1</c>.</summary>
    public const string Filter = "Filter";
}

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
