namespace EntraSync;

/// <summary>How a step of a single-user sync went.</summary>
public enum UserSyncStepStatus
{
    /// <summary>The step passed: found, in scope, planned, applied.</summary>
    Succeeded,

    /// <summary>The step decided against going on (not found, out of scope, skipped) or had nothing to do.</summary>
    Skipped,

    /// <summary>The step failed; see the detail.</summary>
    Failed,
}
