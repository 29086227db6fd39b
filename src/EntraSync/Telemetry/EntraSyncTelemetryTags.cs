namespace EntraSync;

/// <summary>The tag (attribute) names EntraSync puts on its activities and metrics.</summary>
public static class EntraSyncTelemetryTags
{
    /// <summary>The tenant key. Always on activities; on metrics only when <see cref="EntraSyncTelemetryOptions.IncludeTenantIdInMetrics"/> is on.</summary>
    public const string TenantId = "entrasync.tenant.id";

    /// <summary>The run's id (activities only: one value per run).</summary>
    public const string RunId = "entrasync.run.id";

    /// <summary>The kind of read the run did: <c>full</c> or <c>incremental</c>.</summary>
    public const string Mode = "entrasync.sync.mode";

    /// <summary>How the run ended: <c>succeeded</c>, <c>partially_succeeded</c>, <c>failed</c>, <c>cancelled</c>...</summary>
    public const string Outcome = "entrasync.sync.outcome";

    /// <summary>What started the run: <c>manual</c>, <c>schedule</c>, <c>approval</c>, <c>single_user</c> or <c>change_notification</c>.</summary>
    public const string Trigger = "entrasync.sync.trigger";

    /// <summary>Whether the run only planned (<see langword="true"/>) or wrote.</summary>
    public const string DryRun = "entrasync.sync.dry_run";

    /// <summary>How an employee was removed: <c>deactivated</c>, <c>deleted</c> or <c>purged</c>.</summary>
    public const string RemovalAction = "entrasync.removal.action";

    /// <summary>The kind of failure (for example <c>InvalidCredentials</c>, <c>PermissionMissing</c>), on failed runs only (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorType = "error.type";

    /// <summary>The HTTP status code of a Microsoft Graph response (OpenTelemetry's <c>http.response.status_code</c>).</summary>
    public const string HttpStatusCode = "http.response.status_code";
}
