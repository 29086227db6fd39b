using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;

namespace Intranet.Ziik.Pages;

/// <summary>Units and user types: the names Azure AD values are matched against.</summary>
public sealed class UnitsModel(IntranetDb db) : PageModel
{
    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<UserType> UserTypes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Units = await db.Units.Where(u => u.TenantId == IntranetApp.TenantId).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        UserTypes = await db.UserTypes.Where(t => t.TenantId == IntranetApp.TenantId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostAddUnitAsync(string? name, CancellationToken cancellationToken) =>
        AddAsync(name, "unit", n => db.Units.AnyAsync(u => u.TenantId == IntranetApp.TenantId && u.Name == n, cancellationToken),
            n => db.Units.Add(new Unit { TenantId = IntranetApp.TenantId, Name = n }), cancellationToken);

    public Task<IActionResult> OnPostAddUserTypeAsync(string? name, CancellationToken cancellationToken) =>
        AddAsync(name, "user type", n => db.UserTypes.AnyAsync(t => t.TenantId == IntranetApp.TenantId && t.Name == n, cancellationToken),
            n => db.UserTypes.Add(new UserType { TenantId = IntranetApp.TenantId, Name = n }), cancellationToken);

    /// <summary>A unit about to be removed and the memberships an administrator added to it by hand, which would go with it.</summary>
    public (Unit Unit, IReadOnlyList<string> HandMade)? PendingRemoval { get; private set; }

    /// <summary>Removes a unit. Memberships sync assigned come back wherever the directory places the user; hand-made ones would be lost, so it asks first.</summary>
    public async Task<IActionResult> OnPostRemoveUnitAsync(int id, bool confirmed, CancellationToken cancellationToken)
    {
        if (await db.Units.SingleOrDefaultAsync(u => u.Id == id && u.TenantId == IntranetApp.TenantId, cancellationToken) is not { } unit)
        {
            return RedirectToPage();
        }

        var memberships = await db.Memberships.AsNoTracking().Include(m => m.Person).Include(m => m.UserType).Where(m => m.UnitId == id).ToListAsync(cancellationToken);
        var handMade = memberships.Where(m => !SyncedMemberships.AssignedBySync(m.Person, unit.Name, m.UserType.Name))
            .Select(m => $"{m.Person.Name}: {m.UserType.Name}").Order(StringComparer.CurrentCultureIgnoreCase).ToList();
        if (handMade.Count > 0 && !confirmed)
        {
            PendingRemoval = (unit, handMade);
            await OnGetAsync(cancellationToken);
            return Page();
        }

        await db.Units.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken);   // memberships cascade
        return await ChangedAsync(handMade.Count > 0 ? $"Unit {unit.Name} removed with {handMade.Count} memberships added by hand." : $"Unit {unit.Name} removed.", cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveUserTypeAsync(int id, CancellationToken cancellationToken)
    {
        await db.UserTypes.Where(t => t.Id == id && t.TenantId == IntranetApp.TenantId).ExecuteDeleteAsync(cancellationToken);
        return await ChangedAsync("User type removed.", cancellationToken);
    }

    private async Task<IActionResult> AddAsync(string? name, string what, Func<string, Task<bool>> exists, Action<string> add, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Contains(','))
        {
            TempData["Error"] = $"Give the {what} a name without commas: Azure AD values are split at commas.";
            return RedirectToPage();
        }

        if (await exists(name))
        {
            TempData["Error"] = $"There already is a {what} named {name}.";
            return RedirectToPage();
        }

        add(name);
        return await ChangedAsync($"Added the {what} {name}.", cancellationToken);
    }

    /// <summary>Different names match different users: the next sync re-matches everyone.</summary>
    private async Task<IActionResult> ChangedAsync(string message, CancellationToken cancellationToken)
    {
        var settings = await db.Integrations.FindAsync([IntranetApp.TenantId], cancellationToken);
        settings!.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = message + " The next synchronisation matches users again.";
        return RedirectToPage();
    }
}
