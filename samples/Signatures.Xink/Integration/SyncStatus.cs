using System.Globalization;
using EntraSync;
using Microsoft.EntityFrameworkCore;
using Signatures.Xink.Data;

namespace Signatures.Xink.Integration;

/// <summary>What the dashboard shows about the sync, live: the run in progress with its progress so far, or how the last one ended.</summary>
/// <param name="Running">Whether a run started here ("Sync now", the schedule) is going.</param>
/// <param name="Text">The words to show; <see langword="null"/> before the first run.</param>
/// <param name="IsError">Whether to show them as an error.</param>
/// <param name="LastRunId">The newest run in the history: when it changes, the page reloads to show its report.</param>
/// <param name="LastUpdate">"Updated 3 s ago by a change in Entra ID": when the newest run ended and what started it.</param>
public sealed record SyncStatus(bool Running, string? Text, bool IsError, string? LastRunId = null, string? LastUpdate = null)
{
    /// <summary>The status now. While a run goes, the employee count grows as pages are written.</summary>
    public static async Task<SyncStatus> ReadAsync(SyncRuns runs, SignaturesDb db, ISyncStateStore state, TimeProvider time, CancellationToken cancellationToken)
    {
        // The run history knows every run: those started here and those a change notification started
        // (MapEntraSyncNotifications runs the sync itself), and, after a restart, how the last one went.
        var latest = (await state.GetRunsAsync(SignaturesApp.AccountId, 1, cancellationToken)).FirstOrDefault();
        var lastUpdate = latest is null ? null : Updated(latest, time.GetUtcNow());
        if (runs.RunningSince is { } since)
        {
            var employees = await db.Employees.CountAsync(e => e.TenantId == SignaturesApp.AccountId && e.DeactivatedAt == null, cancellationToken);
            var seconds = (int)(time.GetUtcNow() - since).TotalSeconds;
            return new SyncStatus(true,
                $"Sync running, started by {runs.RunningTrigger} at {since.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({seconds} s ago): {employees} employees in the list so far. This updates by itself.",
                false, latest?.RunId, lastUpdate);
        }

        // A run started here ended with its own words (they also cover a run that crashed); a later run, started by a
        // change in Entra ID, with its report's.
        var last = runs.LastResult is { } result && (latest is null || runs.LastFinishedAt >= latest.FinishedAt)
            ? result
            : latest is null ? null : AdminMessages.Describe(latest);
        return new SyncStatus(false, last?.Text, last?.IsError ?? false, latest?.RunId, lastUpdate);
    }

    /// <summary>"Updated 3 s ago by a change in Entra ID", "Updated 5 min ago by Sync now", "by the schedule".</summary>
    public static string Updated(SyncReport report, DateTimeOffset now)
    {
        var by = report.Trigger switch
        {
            SyncTrigger.ChangeNotification => "by a change in Entra ID",
            SyncTrigger.Schedule => "by the schedule",
            SyncTrigger.Approval => "by approving removals",
            _ => "by Sync now",
        };
        var ago = Ago(now - report.FinishedAt);
        return report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded
            ? $"Updated {ago} {by}."
            : $"Last sync {ago}, started {by}, did not update the list.";
    }

    private static string Ago(TimeSpan elapsed) => elapsed switch
    {
        { TotalSeconds: < 60 } => $"{Math.Max(0, (int)elapsed.TotalSeconds)} s ago",
        { TotalMinutes: < 60 } => $"{(int)elapsed.TotalMinutes} min ago",
        { TotalHours: < 48 } => $"{(int)elapsed.TotalHours} h ago",
        _ => $"{(int)elapsed.TotalDays} days ago",
    };

    /// <summary>GET /sync/status.</summary>
    public static async Task<IResult> GetAsync(SyncRuns runs, SignaturesDb db, ISyncStateStore state, TimeProvider time, CancellationToken cancellationToken) =>
        Results.Json(await ReadAsync(runs, db, state, time, cancellationToken));
}
