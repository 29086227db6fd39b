using EntraSync.Testing.Emulator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink.Pages;

/// <summary>
/// Plays the customer's Azure AD in demo mode: change a user in the demo tenant (EntraSync's Graph emulator) and watch
/// the dashboard and the employee list follow within seconds, through a change notification. Only for the demo.
/// </summary>
public sealed class DemoTenantModel(SignaturesDb db, DemoTenant demo) : PageModel
{
    /// <summary>The fields that can be changed here, as the Fields page names them.</summary>
    public static readonly IReadOnlyList<string> EditableFields = ["Job Title", "Department", "Mobile Phone", "Office"];

    public bool Available { get; private set; }

    public IReadOnlyList<EmulatedUser> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Available = (await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!.Connection == ConnectionKind.DemoTenant;
        if (Available)
        {
            Users = [.. (await demo.GetAsync(cancellationToken)).DefaultTenant.GetUsers().OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
        }
    }

    /// <summary>Changes one field of a user, as an administrator would in Azure.</summary>
    public Task<IActionResult> OnPostChangeAsync(string? id, string? field, string? value, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (tenant.FindUser(id ?? "") is not { } user || !EditableFields.Contains(field))
            {
                return (false, "Choose a user and a field to change.");
            }

            var text = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            var updated = tenant.UpdateUser(user.Id, u =>
            {
                switch (field)
                {
                    case "Job Title": u.JobTitle = text; break;
                    case "Department": u.Department = text; break;
                    case "Mobile Phone": u.MobilePhone = text; break;
                    case "Office": u.OfficeLocation = text; break;
                }
            });
            return (true, $"In the demo tenant, {updated.DisplayName}'s {field} is now \"{text}\".");
        }, cancellationToken);

    /// <summary>Gives a user another manager ("Reports To").</summary>
    public Task<IActionResult> OnPostManagerAsync(string? id, string? managerId, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (tenant.FindUser(id ?? "") is not { } user || tenant.FindUser(managerId ?? "") is not { } manager || user.Id == manager.Id)
            {
                return (false, "Choose a user and another user as their manager.");
            }

            tenant.UpdateUser(user.Id, u => u.ManagerId = manager.Id);
            return (true, $"In the demo tenant, {user.DisplayName} now reports to {manager.DisplayName}.");
        }, cancellationToken);

    private async Task<IActionResult> ChangeAsync(Func<EmulatedTenant, (bool Done, string Message)> change, CancellationToken cancellationToken)
    {
        if ((await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!.Connection != ConnectionKind.DemoTenant)
        {
            TempData["Error"] = "The account is connected to your own Azure AD, so the demo tenant cannot be changed here. Change users in Azure instead.";
            return RedirectToPage();
        }

        var (done, message) = change((await demo.GetAsync(cancellationToken)).DefaultTenant);
        TempData[done ? "Message" : "Error"] = done
            ? message + " With live updates on, the dashboard and the employee list follow within seconds, without Sync now."
            : message;
        return RedirectToPage();
    }
}
