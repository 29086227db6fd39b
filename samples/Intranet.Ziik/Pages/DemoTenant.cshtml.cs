using EntraSync;
using EntraSync.Testing.Emulator;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Pages;

/// <summary>
/// Plays the customer's Azure AD in demo mode: change, add, delete and restore users in the demo tenant (EntraSync's
/// Graph emulator), then synchronise and watch the intranet follow. It only exists for the demo; a product has no such page.
/// </summary>
public sealed class DemoTenantModel(IntranetDb db, DemoTenant demo, SyncRuns runs, ISyncStateStore state, LiveUpdates live, IChangeSubscriptionStore subscriptions, TimeProvider time) : PageModel
{
    /// <summary>The fields that can be changed here: the names, and the nine matching fields.</summary>
    public static readonly IReadOnlyList<string> EditableFields = [ZiikFields.FirstName, ZiikFields.LastName, .. ZiikFields.Matching.Select(m => m.Label)];

    public bool Available { get; private set; }

    public IReadOnlyList<EmulatedUser> Users { get; private set; } = [];

    public IReadOnlyList<EmulatedUser> DeletedUsers { get; private set; } = [];

    public SyncStatus Status { get; private set; } = new(false, null, false);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Available = (await db.Integrations.AsNoTracking().SingleAsync(s => s.TenantId == IntranetApp.TenantId, cancellationToken)).UsesDemoTenant;
        Status = await SyncStatus.ReadAsync(runs, db, state, live, subscriptions, time, cancellationToken);
        if (Available)
        {
            var tenant = (await demo.GetAsync(cancellationToken)).DefaultTenant;
            Users = [.. tenant.GetUsers().OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
            DeletedUsers = [.. tenant.GetDeletedUsers().OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
        }
    }

    /// <summary>"Updating of Users data in Azure AD".</summary>
    public Task<IActionResult> OnPostChangeAsync(string? id, string? field, string? value, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (tenant.FindUser(id ?? "") is not { } user || !EditableFields.Contains(field))
            {
                return (false, "Choose a user and a field to change.");
            }

            var updated = tenant.UpdateUser(user.Id, u => Set(u, field!, string.IsNullOrWhiteSpace(value) ? null : value.Trim()));
            return (true, $"In the demo tenant, {updated.DisplayName}'s {field} is now \"{value?.Trim()}\".");
        }, cancellationToken);

    /// <summary>"Creation of New Users in Azure AD".</summary>
    public Task<IActionResult> OnPostAddAsync(string? firstName, string? lastName, string? email, string? jobTitle, string? city, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (string.IsNullOrWhiteSpace(firstName) || string.IsNullOrWhiteSpace(lastName) || !System.Net.Mail.MailAddress.TryCreate(email?.Trim(), out _))
            {
                return (false, "Enter a first name, a last name and an email address for the new user.");
            }

            if (tenant.FindUser(email!.Trim()) is not null || tenant.GetUsers().Any(u => string.Equals(u.Mail, email.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                return (false, $"The demo tenant already has a user {email.Trim()}.");
            }

            var user = tenant.AddUser(new EmulatedUser
            {
                GivenName = firstName.Trim(),
                Surname = lastName.Trim(),
                DisplayName = $"{firstName.Trim()} {lastName.Trim()}",
                Mail = email.Trim(),
                UserPrincipalName = email.Trim(),
                UserType = "Member",
                AccountEnabled = true,
                JobTitle = string.IsNullOrWhiteSpace(jobTitle) ? null : jobTitle.Trim(),
                City = string.IsNullOrWhiteSpace(city) ? null : city.Trim(),
            });
            return (true, $"{user.DisplayName} was added to the demo tenant.");
        }, cancellationToken);

    /// <summary>"Deletion of users in Azure AD": the user goes to the tenant's deleted items, from where it can be restored.</summary>
    public Task<IActionResult> OnPostDeleteAsync(string? id, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (tenant.FindUser(id ?? "") is not { } user)
            {
                return (false, "Choose a user to delete.");
            }

            tenant.DeleteUser(user.Id);
            return (true, $"{user.DisplayName} was deleted from the demo tenant.");
        }, cancellationToken);

    public Task<IActionResult> OnPostRestoreAsync(string? id, CancellationToken cancellationToken) =>
        ChangeAsync(tenant =>
        {
            if (tenant.GetDeletedUsers().FirstOrDefault(u => u.Id == id) is not { } user)
            {
                return (false, "Choose a deleted user to restore.");
            }

            tenant.RestoreUser(user.Id);
            return (true, $"{user.DisplayName} was restored in the demo tenant.");
        }, cancellationToken);

    private async Task<IActionResult> ChangeAsync(Func<EmulatedTenant, (bool Done, string Message)> change, CancellationToken cancellationToken)
    {
        var settings = await db.Integrations.AsNoTracking().SingleAsync(s => s.TenantId == IntranetApp.TenantId, cancellationToken);
        if (!settings.UsesDemoTenant)
        {
            TempData["Error"] = "The integration uses your own Azure AD, so the demo tenant cannot be changed here. Change users in Azure instead.";
            return RedirectToPage();
        }

        var (done, message) = change((await demo.GetAsync(cancellationToken)).DefaultTenant);
        TempData[done ? "Message" : "Error"] = done
            ? message + " With live updates on, the intranet follows within seconds (the status below says \"updated … by a change in Entra ID\"); otherwise press \"Synchronise changes now\" or wait for the hourly run."
            : message;
        return RedirectToPage();
    }

    private static void Set(EmulatedUser user, string field, string? value)
    {
        switch (field)
        {
            case ZiikFields.FirstName: user.GivenName = value; break;
            case ZiikFields.LastName: user.Surname = value; break;
            case "Job Title": user.JobTitle = value; break;
            case "Company Name": user.CompanyName = value; break;
            case "Department": user.Department = value; break;
            case "Street Address": user.StreetAddress = value; break;
            case "State": user.State = value; break;
            case "Country": user.Country = value; break;
            case "Office Location": user.OfficeLocation = value; break;
            case "City": user.City = value; break;
            case "Postal Code": user.PostalCode = value; break;
        }

        if (field is ZiikFields.FirstName or ZiikFields.LastName)
        {
            user.DisplayName = $"{user.GivenName} {user.Surname}".Trim();
        }
    }
}
