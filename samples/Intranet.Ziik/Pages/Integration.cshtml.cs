using System.Globalization;
using EntraSync;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Pages;

/// <summary>Integrations › Azure User Sync: the form, "Initiate synchronisation" with live progress, the schedule, held deactivations and the last run.</summary>
public sealed class IntegrationModel(IntranetDb db, IEntraUserSync sync, ISyncStateStore state, SyncRuns runs, HourlySync hourly, LiveUpdates live, IChangeSubscriptionStore subscriptions, TimeProvider time) : PageModel
{
    /// <summary>Pages a synchronisation button may return to.</summary>
    private static readonly string[] ReturnPages = ["/Integration", "/DemoTenant", "/Index", "/Integrations"];

    [BindProperty]
    public IntegrationSettings Input { get; set; } = new();

    public bool HasSecret { get; private set; }

    public bool UsesDemoTenant { get; private set; }

    public SyncReport? LastReport { get; private set; }

    public SyncStatus Status { get; private set; } = new(false, null, false);

    public DateTimeOffset? NextRun { get; private set; }

    public IReadOnlyList<(StagedRemovals Staged, IReadOnlyList<string> People)> PendingRemovals { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input = await LoadAsync(cancellationToken);
        await LoadViewAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var settings = await LoadAsync(cancellationToken);
        var secret = string.IsNullOrWhiteSpace(Input.Secret) ? settings.Secret : Input.Secret.Trim();
        var credentials = new[] { Input.ApplicationId, Input.DirectoryTenantId, secret }.Count(v => !string.IsNullOrWhiteSpace(v));
        string? problem = null;
        if (Input.UnitField == Input.UserTypeField)
        {
            problem = "You cannot use the same matching field in Azure for both Unit and User type: choose another field for one of them.";
        }
        else if (credentials is 1 or 2)
        {
            problem = "Fill in the Application ID, the Tenant ID and the Secret, or press \"Use the demo tenant\" to clear them.";
        }
        else if (credentials == 3 && (!Guid.TryParse(Input.ApplicationId, out _) || !Guid.TryParse(Input.DirectoryTenantId, out _)))
        {
            problem = "The Application ID and the Tenant ID look like 8-4-4-4-12 hexadecimal ids: copy them from the app registration's Overview page in Azure.";
        }

        if (problem is not null)
        {
            // Everything typed stays on the form, except the Secret, which is never sent back to the browser.
            TempData["Error"] = problem + " Nothing was saved.";
            db.ChangeTracker.Clear();
            HasSecret = !string.IsNullOrEmpty(secret);
            await LoadViewAsync(cancellationToken);
            return Page();
        }

        settings.Name = string.IsNullOrWhiteSpace(Input.Name) ? "Azure User Sync" : Input.Name.Trim();
        settings.ApplicationId = Input.ApplicationId?.Trim();
        settings.DirectoryTenantId = Input.DirectoryTenantId?.Trim();
        settings.Secret = credentials == 0 ? null : secret;
        settings.UnitField = Input.UnitField;
        settings.UserTypeField = Input.UserTypeField;
        settings.Enabled = Input.Enabled;
        settings.Filter = string.IsNullOrWhiteSpace(Input.Filter) ? null : Input.Filter.Trim();
        settings.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"{settings.Name} saved{(settings.UsesDemoTenant ? " (demo tenant)" : "")}. Press Initiate synchronisation to apply it now, or wait for the next hourly run.";
        return RedirectToPage();
    }

    /// <summary>Forgets the saved Application ID, Tenant ID and Secret and goes back to the demo tenant; users, units and memberships stay.</summary>
    public async Task<IActionResult> OnPostUseDemoAsync(CancellationToken cancellationToken)
    {
        var settings = await LoadAsync(cancellationToken);
        settings.ApplicationId = settings.DirectoryTenantId = settings.Secret = null;
        settings.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "The saved credentials were cleared: the integration uses the demo tenant again. Users, units and memberships were kept.";
        return RedirectToPage();
    }

    /// <summary>"Initiate synchronisation" (reads everyone) or a run of the hourly kind (reads the changes): starts it in the background.</summary>
    public IActionResult OnPostInitiate(string? returnPage, bool initiate = true)
    {
        if (runs.TryStart(initiate ? "Initiate synchronisation" : "Synchronise changes now", initiate) is null)
        {
            TempData["Message"] = runs.RunningSince is { } since
                ? $"A synchronisation is already running (started by {runs.RunningTrigger} at {since.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC). Its progress shows here; wait for it to finish."
                : "A synchronisation was already running and has just finished; its result shows here.";
        }

        return RedirectToPage(ReturnPages.Contains(returnPage) ? returnPage : "/Integration");
    }

    public async Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken)
    {
        var report = await sync.ApproveRemovalsAsync(IntranetApp.TenantId, id, "administrator", cancellationToken);
        TempData[report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded ? "Message" : "Error"] =
            report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded
                ? $"Approved: {report.Counts.Deactivated} users deactivated. They are listed under Deactivated users for 90 days."
                : AdminMessages.Describe(report).Text;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(string id, CancellationToken cancellationToken)
    {
        await sync.RejectRemovalsAsync(IntranetApp.TenantId, id, "administrator", cancellationToken);
        TempData["Message"] = "Rejected: nobody was deactivated. If those users should stay, change the filter that leaves them out; otherwise the next synchronisation holds them again.";
        return RedirectToPage();
    }

    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    private async Task<IntegrationSettings> LoadAsync(CancellationToken cancellationToken) =>
        (await db.Integrations.FindAsync([IntranetApp.TenantId], cancellationToken))!;

    private async Task LoadViewAsync(CancellationToken cancellationToken)
    {
        var saved = await db.Integrations.AsNoTracking().SingleAsync(s => s.TenantId == IntranetApp.TenantId, cancellationToken);
        HasSecret = HasSecret || !string.IsNullOrEmpty(saved.Secret);
        UsesDemoTenant = saved.UsesDemoTenant;
        LastReport = (await state.GetRunsAsync(IntranetApp.TenantId, 1, cancellationToken)).FirstOrDefault();
        Status = await SyncStatus.ReadAsync(runs, db, state, live, subscriptions, time, cancellationToken);
        NextRun = saved.Enabled ? hourly.NextRunAt : null;
        var pending = (await sync.GetStagedRemovalsAsync(IntranetApp.TenantId, cancellationToken)).Where(s => s.Status == StagedRemovalsStatus.Pending).ToList();
        var ids = pending.SelectMany(s => s.Removals.Select(r => r.DirectoryId)).ToList();
        var names = await db.People.AsNoTracking().Where(p => p.TenantId == IntranetApp.TenantId && p.DirectoryId != null && ids.Contains(p.DirectoryId))
            .ToDictionaryAsync(p => p.DirectoryId!, p => $"{p.Name} ({p.Email})", cancellationToken);
        PendingRemovals = [.. pending.Select(s => (s, (IReadOnlyList<string>)[.. s.Removals.Select(r => names.GetValueOrDefault(r.DirectoryId) ?? r.Email ?? r.DirectoryId).Order()]))];
    }
}
