using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Intranet.Ziik.Data;

namespace Intranet.Ziik.Pages;

/// <summary>The user administration panel: users with their units, unassigned users, deactivated users.</summary>
public sealed class IndexModel(IntranetDb db, TimeProvider time) : PageModel
{
    /// <summary>How long a deactivated user is kept (the profile's Removal:RetentionPeriod).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    public IReadOnlyList<Person> Active { get; private set; } = [];

    public IReadOnlyList<Person> Unassigned { get; private set; } = [];

    public IReadOnlyList<Person> Deactivated { get; private set; } = [];

    public IReadOnlyList<Unit> Units { get; private set; } = [];

    public IReadOnlyList<UserType> UserTypes { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var people = await db.People.AsNoTracking().Where(p => p.TenantId == IntranetApp.TenantId)
            .Include(p => p.Memberships).ThenInclude(m => m.Unit)
            .Include(p => p.Memberships).ThenInclude(m => m.UserType)
            .ToListAsync(cancellationToken);
        var byName = people.OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        Active = [.. byName.Where(p => p.DeactivatedAt is null)];
        Unassigned = [.. Active.Where(p => p.Memberships.Count == 0)];
        Deactivated = [.. byName.Where(p => p.DeactivatedAt is not null)];
        Units = await db.Units.Where(u => u.TenantId == IntranetApp.TenantId).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        UserTypes = await db.UserTypes.Where(t => t.TenantId == IntranetApp.TenantId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a person to a unit by hand; sync never removes memberships it did not assign.</summary>
    public async Task<IActionResult> OnPostAddMembershipAsync(int personId, int unitId, int userTypeId, CancellationToken cancellationToken)
    {
        var exists = await db.Memberships.AnyAsync(m => m.PersonId == personId && m.UnitId == unitId && m.UserTypeId == userTypeId, cancellationToken);
        if (!exists && await db.People.AnyAsync(p => p.Id == personId && p.TenantId == IntranetApp.TenantId, cancellationToken))
        {
            db.Memberships.Add(new Membership { PersonId = personId, UnitId = unitId, UserTypeId = userTypeId });
            await db.SaveChangesAsync(cancellationToken);
        }

        TempData["Message"] = "Membership added.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveMembershipAsync(int membershipId, CancellationToken cancellationToken)
    {
        await db.Memberships.Where(m => m.Id == membershipId).ExecuteDeleteAsync(cancellationToken);
        TempData["Message"] = "Membership removed.";
        return RedirectToPage();
    }

    public int DaysLeft(Person person) => Math.Max(0, (int)Math.Ceiling((person.DeactivatedAt!.Value + Retention - Now).TotalDays));
}
