namespace EntraSync.Connectivity;

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
