using EntraSync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink.Pages;

/// <summary>The dashboard: last sync, next sync, "Sync now", staged removals and the last report.</summary>
public sealed class IndexModel(SignaturesDb db, ISyncStateStore state, IEntraUserSync sync, AccountSync accountSync, ScheduledSync schedule) : PageModel
{
    public IntegrationSettings Settings { get; private set; } = null!;

    public SyncReport? LastReport { get; private set; }

    public DateTimeOffset? NextSync { get; private set; }

    public IReadOnlyList<StagedRemovals> PendingRemovals { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = (await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!;
        LastReport = (await state.GetRunsAsync(SignaturesApp.AccountId, 1, cancellationToken)).FirstOrDefault();
        NextSync = Settings.Enabled ? schedule.NextRunAt : null;
        PendingRemovals = [.. (await sync.GetStagedRemovalsAsync(SignaturesApp.AccountId, cancellationToken)).Where(s => s.Status == StagedRemovalsStatus.Pending)];
    }

    public async Task<IActionResult> OnPostSyncNowAsync(CancellationToken cancellationToken)
    {
        var report = await accountSync.RunAsync(SignaturesApp.AccountId, cancellationToken);
        TempData["Message"] = $"Sync {report.Outcome}: {report.Counts.Created} added, {report.Counts.Updated} updated, {report.Counts.Deleted} removed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken)
    {
        var report = await sync.ApproveRemovalsAsync(SignaturesApp.AccountId, id, User.Identity?.Name ?? "admin", cancellationToken);
        TempData["Message"] = $"Removals approved: {report.Counts.Deleted + report.Counts.Deactivated} employees removed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(string id, CancellationToken cancellationToken)
    {
        await sync.RejectRemovalsAsync(SignaturesApp.AccountId, id, User.Identity?.Name ?? "admin", cancellationToken);
        TempData["Message"] = "Removals rejected: nobody was removed.";
        return RedirectToPage();
    }

    public static string When(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
