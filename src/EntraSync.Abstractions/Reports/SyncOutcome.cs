namespace EntraSync;

/// <summary>How a sync run ended.</summary>
public enum SyncOutcome
{
    /// <summary>The run read the directory completely and applied (or planned) every change.</summary>
    Succeeded,

    /// <summary>The run applied what it could but the read was incomplete, so nobody was removed; see the errors.</summary>
    PartiallySucceeded,

    /// <summary>The run failed; see the errors. Changes applied before the failure are kept; nobody was removed.</summary>
    Failed,

    /// <summary>The run was cancelled; nobody was removed.</summary>
    Cancelled,

    /// <summary>Another run for the tenant was in progress, so this one did not start.</summary>
    AlreadyRunning,

    /// <summary>The tenant's profile is disabled, so nothing ran.</summary>
    Disabled,
}
