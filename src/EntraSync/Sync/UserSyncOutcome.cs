namespace EntraSync;

/// <summary>How a single-user sync ended.</summary>
public enum UserSyncOutcome
{
    /// <summary>Every step ran; the result says what changed (possibly nothing).</summary>
    Succeeded,

    /// <summary>The directory has no such user, and nothing was removed (looked up by UPN or email, which does not prove the user left).</summary>
    NotFound,

    /// <summary>A step failed; see the errors.</summary>
    Failed,

    /// <summary>The tenant is syncing; try again when it has finished.</summary>
    AlreadyRunning,

    /// <summary>The tenant's profile is disabled.</summary>
    Disabled,
}
