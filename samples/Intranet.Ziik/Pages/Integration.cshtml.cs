using EntraSync;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Intranet.Ziik.Pages;

/// <summary>Integrations › Azure User Sync: the form, "Initiate synchronisation", and the last run.</summary>
public sealed class IntegrationModel(IntranetDb db, IEntraUserSync sync, ISyncStateStore state, TenantSync tenantSync) : PageModel
{
    /// <summary>The fields a unit or user type can be matched from, as the help article lists them.</summary>
    public static readonly MatchingField[] MatchingFields = [.. Enum.GetValues<MatchingField>().Where(f => f != MatchingField.None)];

    [BindProperty]
    public IntegrationSettings Input { get; set; } = new();

    public bool HasSecret { get; private set; }

    public SyncReport? LastReport { get; private set; }

    public IReadOnlyList<StagedRemovals> PendingRemovals { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input = (await db.Integrations.FindAsync([IntranetApp.TenantId], cancellationToken))!;
        HasSecret = !string.IsNullOrEmpty(Input.Secret);
        LastReport = (await state.GetRunsAsync(IntranetApp.TenantId, 1, cancellationToken)).FirstOrDefault();
        PendingRemovals = [.. (await sync.GetStagedRemovalsAsync(IntranetApp.TenantId, cancellationToken)).Where(s => s.Status == StagedRemovalsStatus.Pending)];
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var settings = (await db.Integrations.FindAsync([IntranetApp.TenantId], cancellationToken))!;
        var secret = string.IsNullOrWhiteSpace(Input.Secret) ? settings.Secret : Input.Secret.Trim();
        var credentials = new[] { Input.ApplicationId, Input.DirectoryTenantId, secret }.Count(v => !string.IsNullOrWhiteSpace(v));
        string? problem = null;
        if (Input.UnitField == Input.UserTypeField)
        {
            problem = "You cannot use the same matching field in Azure for both Units and user type.";
        }
        else if (credentials is 1 or 2)
        {
            problem = "Fill in the Application ID, the Tenant ID and the Secret, or leave all three empty to use the demo tenant.";
        }
        else if (credentials == 3 && (!Guid.TryParse(Input.ApplicationId, out _) || !Guid.TryParse(Input.DirectoryTenantId, out _)))
        {
            problem = "The Application ID and the Tenant ID are GUIDs: copy them from the app registration's Overview page.";
        }

        if (problem is not null)
        {
            TempData["Error"] = problem;
            return RedirectToPage();
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
        TempData["Message"] = $"{settings.Name} saved.";
        return RedirectToPage();
    }

    /// <summary>"Initiate synchronisation": a full run over the entire integration user base.</summary>
    public async Task<IActionResult> OnPostInitiateAsync(CancellationToken cancellationToken)
    {
        var report = await tenantSync.RunAsync(IntranetApp.TenantId, initiate: true, cancellationToken);
        var counts = report.Counts;
        TempData[report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded ? "Message" : "Error"] = report.Outcome switch
        {
            SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded =>
                $"Synchronisation finished: {counts.Created} created, {counts.Updated + counts.Linked + counts.Reactivated} updated, {counts.Deactivated} deactivated, {counts.Unassigned} unassigned.",
            SyncOutcome.Disabled => "The integration is not enabled: tick Enabled and save.",
            _ => $"Synchronisation {report.Outcome}: {string.Join(" ", report.Errors)}",
        };
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostApproveAsync(string id, CancellationToken cancellationToken)
    {
        var report = await sync.ApproveRemovalsAsync(IntranetApp.TenantId, id, "administrator", cancellationToken);
        TempData["Message"] = $"Approved: {report.Counts.Deactivated} users deactivated.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(string id, CancellationToken cancellationToken)
    {
        await sync.RejectRemovalsAsync(IntranetApp.TenantId, id, "administrator", cancellationToken);
        TempData["Message"] = "Rejected: nobody was deactivated.";
        return RedirectToPage();
    }
}
