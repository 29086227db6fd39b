using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using EntraSync.EntityFrameworkCore;

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

    /// <summary>Why each unassigned user has no unit or user type, by person id.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<string>> WhyUnassigned { get; private set; } = new Dictionary<int, IReadOnlyList<string>>();

    /// <summary>The "Create user" form, kept as typed when it is refused.</summary>
    [BindProperty]
    public NewUserInput NewUser { get; set; } = new();

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
        var settings = await db.Integrations.AsNoTracking().SingleAsync(s => s.TenantId == IntranetApp.TenantId, cancellationToken);
        var unitNames = Units.Select(u => u.Name).ToList();
        var userTypeNames = UserTypes.Select(t => t.Name).ToList();
        WhyUnassigned = Unassigned.ToDictionary(p => p.Id, p => p.IsLinked
            ? ZiikFields.WhyUnassigned(p, settings, unitNames, userTypeNames)
            : (IReadOnlyList<string>)["created here and not found in Azure AD by email, so synchronisation leaves it alone: add a unit by hand"]);
    }

    /// <summary>
    /// "Creation of New Users in Ziik": a person created here. If Azure AD has a user with the same email, the next
    /// synchronisation links them and overwrites the mandatory and matching fields; otherwise nothing happens to them.
    /// </summary>
    public async Task<IActionResult> OnPostCreateUserAsync(CancellationToken cancellationToken)
    {
        var email = NewUser.Email?.Trim();
        string? problem = null;
        if (string.IsNullOrEmpty(email) || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            problem = "Enter the user's email address, e.g. anna@northwind.example: synchronisation links users by email.";
        }
        else if (string.IsNullOrWhiteSpace(NewUser.FirstName) || string.IsNullOrWhiteSpace(NewUser.LastName))
        {
            problem = "Enter the first name and the last name: they are mandatory.";
        }
        else if (EmployeeEmail.Normalize(email) is var normalized && await db.People.AnyAsync(p => p.TenantId == IntranetApp.TenantId && p.NormalizedEmail == normalized, cancellationToken))
        {
            problem = $"There already is a user with the email {email}.";
        }

        if (problem is not null)
        {
            TempData["Error"] = problem;
            await OnGetAsync(cancellationToken);
            return Page();
        }

        db.People.Add(new Person
        {
            TenantId = IntranetApp.TenantId,
            Email = email,
            NormalizedEmail = EmployeeEmail.Normalize(email),   // the store finds local users by this column
            FirstName = NewUser.FirstName!.Trim(),
            LastName = NewUser.LastName!.Trim(),
            JobTitle = string.IsNullOrWhiteSpace(NewUser.JobTitle) ? null : NewUser.JobTitle.Trim(),
        });
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"{NewUser.FirstName!.Trim()} {NewUser.LastName!.Trim()} created. If Azure AD has a user with this email, the next synchronisation links them.";
        return RedirectToPage();
    }

    public sealed class NewUserInput
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        public string? JobTitle { get; set; }
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

        TempData["Message"] = "Membership added by hand: synchronisation never removes it.";
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
