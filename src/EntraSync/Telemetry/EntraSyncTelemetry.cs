using EntraSync.Telemetry.Internal;

namespace EntraSync;

/// <summary>
/// The names under which EntraSync reports traces and metrics: one <see cref="System.Diagnostics.ActivitySource"/> and
/// one <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="Name"/>. Subscribe with
/// <c>tracing.AddSource("EntraSync")</c> and <c>metrics.AddMeter("EntraSync")</c> in OpenTelemetry.
/// </summary>
public static class EntraSyncTelemetry
{
    /// <summary>The name of EntraSync's activity source and meter.</summary>
    public const string Name = "EntraSync";

    /// <summary>
    /// Counts one Microsoft Graph response: <c>entrasync.graph.requests</c>, and <c>entrasync.graph.throttled</c> when
    /// <paramref name="throttled"/>. Called by the Graph source for every response it receives (retries included);
    /// inside a run the measurement carries the run's tenant tag when tenant tags are on.
    /// </summary>
    /// <param name="statusCode">The HTTP status code, or 0 when no response arrived (network failure, timeout).</param>
    /// <param name="throttled">Whether Graph throttled the request (429, or 503 with Retry-After).</param>
    internal static void RecordGraphRequest(int statusCode, bool throttled) => SyncTelemetry.RecordGraphRequest(statusCode, throttled);
}
