using System.Globalization;
using EntraSync;
using Microsoft.EntityFrameworkCore;
using Signatures.Xink.Data;

namespace Signatures.Xink.Integration;

/// <summary>What the dashboard shows about the sync, live: the run in progress with its progress so far, or how the last one ended.</summary>
/// <param name="Running">Whether a run is going.</param>
/// <param name="Text">The words to show; <see langword="null"/> before the first run.</param>
/// <param name="IsError">Whether to show them as an error.</param>
public sealed record SyncStatus(bool Running, string? Text, bool IsError)
{
    /// <summary>The status now. While a run goes, the employee count grows as pages are written.</summary>
    public static async Task<SyncStatus> ReadAsync(SyncRuns runs, SignaturesDb db, ISyncStateStore state, TimeProvider time, CancellationToken cancellationToken)
    {
        if (runs.RunningSince is { } since)
        {
            var employees = await db.Employees.CountAsync(e => e.TenantId == SignaturesApp.AccountId && e.DeactivatedAt == null, cancellationToken);
            var seconds = (int)(time.GetUtcNow() - since).TotalSeconds;
            return new SyncStatus(true,
                $"Sync running, started by {runs.RunningTrigger} at {since.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({seconds} s ago): {employees} employees in the list so far. This updates by itself.",
                false);
        }

        // After a restart only the run history knows how the last run went.
        var last = runs.LastResult
            ?? ((await state.GetRunsAsync(SignaturesApp.AccountId, 1, cancellationToken)).FirstOrDefault() is { } report ? AdminMessages.Describe(report) : null);
        return new SyncStatus(false, last?.Text, last?.IsError ?? false);
    }

    /// <summary>GET /sync/status.</summary>
    public static async Task<IResult> GetAsync(SyncRuns runs, SignaturesDb db, ISyncStateStore state, TimeProvider time, CancellationToken cancellationToken) =>
        Results.Json(await ReadAsync(runs, db, state, time, cancellationToken));
}
