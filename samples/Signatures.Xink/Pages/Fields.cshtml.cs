using EntraSync;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Signatures.Xink.Data;

namespace Signatures.Xink.Pages;

/// <summary>Preferences › Fields: add, remove, re-order and re-map the fields imported from Entra ID.</summary>
public sealed class FieldsModel(SignaturesDb db) : PageModel
{
    /// <summary>Common sources, offered as suggestions; any Graph user property, extension attribute or directory extension works.</summary>
    public static readonly string[] KnownSources =
    [
        "givenName", "surname", "displayName", FieldMapping.EmailSource, "businessPhones", "jobTitle", "department", "mobilePhone", "faxNumber",
        "companyName", "streetAddress", "city", "state", "postalCode", "country", "officeLocation", "employeeId", "preferredLanguage",
        "onPremisesExtensionAttributes/extensionAttribute1", "onPremisesExtensionAttributes/extensionAttribute2", FieldMapping.PhotoSource,
        "manager/displayName", "manager/mail",
    ];

    public IReadOnlyList<FieldSetting> Fields { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Fields = await db.Fields.Where(f => f.AccountId == SignaturesApp.AccountId).OrderBy(f => f.Position).ToListAsync(cancellationToken);

    public Task<IActionResult> OnPostMoveAsync(int id, int by, CancellationToken cancellationToken) => ChangeAsync(fields =>
    {
        var index = fields.FindIndex(f => f.Id == id);
        var target = index + by;
        if (index >= 0 && target >= 0 && target < fields.Count)
        {
            (fields[index], fields[target]) = (fields[target], fields[index]);
        }

        return null;
    }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken cancellationToken) => ChangeAsync(fields =>
    {
        var field = fields.Find(f => f.Id == id);
        if (field is null || field.Name == FieldNames.Email)
        {
            return "The Email field cannot be removed: signatures need it.";
        }

        fields.Remove(field);
        db.Fields.Remove(field);
        return null;
    }, cancellationToken);

    public Task<IActionResult> OnPostSaveAsync(int id, string? name, string? source, CancellationToken cancellationToken) => ChangeAsync(fields =>
    {
        var field = fields.Find(f => f.Id == id);
        if (field is null)
        {
            return "That field no longer exists.";
        }

        if (Invalid(fields, name, source, field) is { } problem)
        {
            return problem;
        }

        field.Name = name!.Trim();
        field.Source = source!.Trim();
        return null;
    }, cancellationToken);

    public Task<IActionResult> OnPostAddAsync(string? name, string? source, CancellationToken cancellationToken) => ChangeAsync(fields =>
    {
        if (Invalid(fields, name, source, null) is { } problem)
        {
            return problem;
        }

        var field = new FieldSetting { AccountId = SignaturesApp.AccountId, Name = name!.Trim(), Source = source!.Trim() };
        fields.Add(field);
        db.Fields.Add(field);
        return null;
    }, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) => ChangeAsync(fields =>
    {
        db.Fields.RemoveRange(fields);
        fields.Clear();
        foreach (var mapping in FieldMapping.CreateDefaults())
        {
            var field = new FieldSetting { AccountId = SignaturesApp.AccountId, Name = mapping.Name, Source = mapping.Source };
            fields.Add(field);
            db.Fields.Add(field);
        }

        return null;
    }, cancellationToken);

    private static string? Invalid(List<FieldSetting> fields, string? name, string? source, FieldSetting? editing)
    {
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(source))
        {
            return "A field needs a name and a source.";
        }

        if (fields.Any(f => f != editing && string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return $"There already is a field named \"{name.Trim()}\".";
        }

        return editing?.Name == FieldNames.Email && name.Trim() != FieldNames.Email ? "The Email field cannot be renamed: signatures need it." : null;
    }

    /// <summary>Applies a change to the ordered list, renumbers it, and asks the next sync to read everyone again.</summary>
    private async Task<IActionResult> ChangeAsync(Func<List<FieldSetting>, string?> change, CancellationToken cancellationToken)
    {
        var fields = await db.Fields.Where(f => f.AccountId == SignaturesApp.AccountId).OrderBy(f => f.Position).ToListAsync(cancellationToken);
        if (change(fields) is { } problem)
        {
            TempData["Error"] = problem;
            return RedirectToPage();
        }

        for (var i = 0; i < fields.Count; i++)
        {
            fields[i].Position = i;
        }

        var settings = await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken);
        settings!.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Fields saved. The next sync applies them to every employee.";
        return RedirectToPage();
    }
}
