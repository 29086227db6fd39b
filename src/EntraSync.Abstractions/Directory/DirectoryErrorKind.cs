namespace EntraSync;

/// <summary>Kinds of directory failure.</summary>
public enum DirectoryErrorKind
{
    /// <summary>Not one of the kinds below.</summary>
    Unknown,

    /// <summary>The client secret or certificate is wrong.</summary>
    InvalidCredentials,

    /// <summary>The client secret or certificate expired.</summary>
    ExpiredCredentials,

    /// <summary>No app registration with the client id exists in the tenant (or consent was never granted).</summary>
    ApplicationNotFound,

    /// <summary>The tenant does not exist.</summary>
    TenantNotFound,

    /// <summary>The app lacks a permission (or admin consent for it).</summary>
    PermissionMissing,

    /// <summary>The profile's filter or scope is not valid for the directory.</summary>
    InvalidQuery,

    /// <summary>A configured group or user does not exist.</summary>
    NotFound,

    /// <summary>The directory throttled the requests beyond the retries.</summary>
    Throttled,

    /// <summary>The directory or network was unavailable.</summary>
    Unavailable,

    /// <summary>A response could not be read (cut off, not JSON).</summary>
    InvalidResponse,

    /// <summary>The connection settings are incomplete or invalid.</summary>
    Configuration,
}
