using EntraSync;
using EntraSync.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Signatures.Xink.Data;

namespace Signatures.Xink.Pages;

/// <summary>The Employees menu: the synced fields in the order set on Preferences › Fields.</summary>
public sealed class EmployeesModel(SignaturesDb db) : PageModel
{
    public IReadOnlyList<FieldSetting> Fields { get; private set; } = [];

    public IReadOnlyList<SyncedEmployee> Employees { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Fields = await db.Fields.Where(f => f.AccountId == SignaturesApp.AccountId).OrderBy(f => f.Position).ToListAsync(cancellationToken);
        var employees = await db.Employees.AsNoTracking()
            .Where(e => e.TenantId == SignaturesApp.AccountId && e.DeactivatedAt == null)
            .ToListAsync(cancellationToken);
        Employees = [.. employees.OrderBy(e => e.GetField(FieldNames.DisplayName) ?? e.Email, StringComparer.CurrentCultureIgnoreCase)];
    }

    public static string Initials(SyncedEmployee employee) =>
        string.Concat(new[] { employee.GetField(FieldNames.FirstName), employee.GetField(FieldNames.LastName) }
            .Where(n => !string.IsNullOrEmpty(n)).Select(n => n![0]));
}
