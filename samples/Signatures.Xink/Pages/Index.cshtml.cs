using System.Globalization;
using EntraSync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink.Pages;

/// <summary>The dashboard: connection, last and next sync, "Sync now" with live progress, held removals and the last report.</summary>
public sealed class IndexModel(SignaturesDb db, ISyncStateStore state, IEntraUserSync sync, SyncRuns runs, ScheduledSync schedule, LiveUpdates live, IChangeSubscriptionStore subscriptions, TimeProvider time) : PageModel
{
    public IntegrationSettings Settings { get; private set; } = null!;

    public SyncReport? LastReport { get; private set; }

    public DateTimeOffset? NextSync { get; private set; }

    public SyncStatus Status { get; private set; } = new(false, null, false);

    public IReadOnlyList<StagedRemovals> PendingRemovals { get; private set; } = [];

    /// <summary>Whether a change in Entra ID reaches the list within seconds, in words.</summary>
    public string LiveUpdates { get; private set; } = "";

    /// <summary>Whether the last run proved the connection works: only then does the dashboard say "Connected".</summary>
    public bool Connected => LastReport is { Outcome: SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = (await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!;
        LastReport = (await state.GetRunsAsync(SignaturesApp.AccountId, 1, cancellationToken)).FirstOrDefault();
        NextSync = Settings.Enabled ? schedule.NextRunAt : null;
        Status = await SyncStatus.ReadAsync(runs, db, state, time, cancellationToken);
        LiveUpdates = Settings.Enabled
            ? await live.DescribeAsync(Settings.Connection == ConnectionKind.DemoTenant, subscriptions, SignaturesApp.AccountId, time, cancellationToken)
            : "Off while synchronization is switched off.";
        PendingRemovals = [.. (await sync.GetStagedRemovalsAsync(SignaturesApp.AccountId, cancellationToken)).Where(s => s.Status == StagedRemovalsStatus.Pending)];
    }

    /// <summary>"Sync now": starts the run in the background; the dashboard follows it live.</summary>
    public IActionResult OnPostSyncNow()
    {
        if (!runs.TryStart("Sync now"))
        {
            TempData["Message"] = runs.RunningSince is { } since
                ? $"A sync is already running (started by {runs.RunningTrigger} at {since.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC). Its progress shows below; wait for it to finish."
                : "A sync was already running and has just finished; its result shows below.";
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken)
    {
        var report = await sync.ApproveRemovalsAsync(SignaturesApp.AccountId, id, User.Identity?.Name ?? "admin", cancellationToken);
        if (report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded)
        {
            TempData["Message"] = $"Removals approved: {report.Counts.Deleted + report.Counts.Deactivated} employees removed.";
        }
        else
        {
            TempData["Error"] = AdminMessages.Describe(report).Text;
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(string id, CancellationToken cancellationToken)
    {
        await sync.RejectRemovalsAsync(SignaturesApp.AccountId, id, User.Identity?.Name ?? "admin", cancellationToken);
        TempData["Message"] = "Removals rejected: nobody was removed. If those people should stay, change the filters that left them out; otherwise the next sync holds them again.";
        return RedirectToPage();
    }

    public static string When(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";
}
