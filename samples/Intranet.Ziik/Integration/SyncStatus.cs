using System.Globalization;
using EntraSync;
using Intranet.Ziik.Data;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Integration;

/// <summary>What the pages show about synchronisation, live: the run in progress with its progress so far, or how the last one ended.</summary>
/// <param name="Running">Whether a run started here (a button, the hourly schedule) is going.</param>
/// <param name="Text">The words to show; <see langword="null"/> before the first run.</param>
/// <param name="IsError">Whether to show them as an error.</param>
/// <param name="LastRunId">The newest run in the history.</param>
/// <param name="LastUpdate">"Updated 3 s ago by a change in Entra ID": when the newest run ended and what started it.</param>
/// <param name="LiveUpdates">Whether a change in Entra ID reaches the intranet within seconds, in words.</param>
public sealed record SyncStatus(bool Running, string? Text, bool IsError, string? LastRunId = null, string? LastUpdate = null, string? LiveUpdates = null)
{
    /// <summary>The status now. While a run goes, the count of users from Azure AD grows as pages are written.</summary>
    public static async Task<SyncStatus> ReadAsync(SyncRuns runs, IntranetDb db, ISyncStateStore state, LiveUpdates live, IChangeSubscriptionStore subscriptions, TimeProvider time, CancellationToken cancellationToken)
    {
        // The run history knows every run: those started here and those a change notification started
        // (MapEntraSyncNotifications runs the sync itself), and, after a restart, how the last one went.
        var latest = (await state.GetRunsAsync(IntranetApp.TenantId, 1, cancellationToken)).FirstOrDefault();
        var lastUpdate = latest is null ? null : Updated(latest, time.GetUtcNow());
        var usesDemoTenant = (await db.Integrations.AsNoTracking().SingleAsync(s => s.TenantId == IntranetApp.TenantId, cancellationToken)).UsesDemoTenant;
        var liveUpdates = await live.DescribeAsync(usesDemoTenant, subscriptions, IntranetApp.TenantId, time, cancellationToken);
        if (runs.RunningSince is { } since)
        {
            var users = await db.People.CountAsync(p => p.TenantId == IntranetApp.TenantId && p.DirectoryId != null && p.DeactivatedAt == null, cancellationToken);
            var seconds = (int)(time.GetUtcNow() - since).TotalSeconds;
            return new SyncStatus(true,
                $"Synchronisation running, started by {runs.RunningTrigger} at {since.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({seconds} s ago): {users} users from Azure AD so far. This updates by itself.",
                false, latest?.RunId, lastUpdate, liveUpdates);
        }

        // A run started here ended with its own words (they also cover a run that crashed); a later run, started by a
        // change in Entra ID, with its report's.
        var last = runs.LastResult is { } result && (latest is null || runs.LastFinishedAt >= latest.FinishedAt)
            ? result
            : latest is null ? null : AdminMessages.Describe(latest);
        return new SyncStatus(false, last?.Text, last?.IsError ?? false, latest?.RunId, lastUpdate, liveUpdates);
    }

    /// <summary>"Updated 3 s ago by a change in Entra ID", "Updated 5 min ago by the hourly schedule".</summary>
    public static string Updated(SyncReport report, DateTimeOffset now)
    {
        var by = report.Trigger switch
        {
            SyncTrigger.ChangeNotification => "by a change in Entra ID",
            SyncTrigger.Schedule => "by the hourly schedule",
            SyncTrigger.Approval => "by approving deactivations",
            _ => "by hand",
        };
        var elapsed = now - report.FinishedAt;
        var ago = elapsed switch
        {
            { TotalSeconds: < 60 } => $"{Math.Max(0, (int)elapsed.TotalSeconds)} s ago",
            { TotalMinutes: < 60 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalHours: < 48 } => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} days ago",
        };
        return report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded
            ? $"Updated {ago} {by}."
            : $"Last synchronisation {ago}, started {by}, did not update the intranet.";
    }

    /// <summary>GET /sync/status.</summary>
    public static async Task<IResult> GetAsync(SyncRuns runs, IntranetDb db, ISyncStateStore state, LiveUpdates live, IChangeSubscriptionStore subscriptions, TimeProvider time, CancellationToken cancellationToken) =>
        Results.Json(await ReadAsync(runs, db, state, live, subscriptions, time, cancellationToken));
}
