using EntraSync;
using EntraSync.EntityFrameworkCore;
using Intranet.Ziik.Data;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Integration;

/// <summary>
/// Keeps the Membership table in step with what sync assigns, inside the store's transaction. Only what sync assigned
/// before (<see cref="EmployeeChange.PreviousAssignment"/>) is removed, so units and user types an administrator
/// added by hand survive every sync ("membership of users requiring multiple units is handled exclusively in Ziik").
/// </summary>
public static class SyncedMemberships
{
    public static async ValueTask ApplyAsync(EmployeeChangeContext<Person> change, CancellationToken cancellationToken)
    {
        // Deactivations keep memberships (a returning user gets them back); deletions cascade in the database.
        if (change.Employee is not { } person || change.Change.Record is not { } record)
        {
            return;
        }

        var before = Pairs(change.Change.PreviousAssignment);
        var after = Pairs(record.Assignment);
        if (before.SetEquals(after) && change.Change.Kind is not (EmployeeChangeKind.Create or EmployeeChangeKind.Link))
        {
            return;
        }

        var db = (IntranetDb)change.Context;
        var existing = person.Id == 0 ? [] : await db.Memberships.Include(m => m.Unit).Include(m => m.UserType)
            .Where(m => m.PersonId == person.Id).ToListAsync(cancellationToken);
        foreach (var membership in existing.Where(m => before.Contains((m.Unit.Name, m.UserType.Name)) && !after.Contains((m.Unit.Name, m.UserType.Name))))
        {
            db.Memberships.Remove(membership);
        }

        var missing = after.Where(pair => !existing.Any(m => Same(m.Unit.Name, pair.Unit) && Same(m.UserType.Name, pair.UserType))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var units = await db.Units.Where(u => u.TenantId == change.TenantId).ToListAsync(cancellationToken);
        var userTypes = await db.UserTypes.Where(t => t.TenantId == change.TenantId).ToListAsync(cancellationToken);
        foreach (var (unitName, userTypeName) in missing)
        {
            // The matcher returns catalog names, so both are found unless an administrator just deleted one.
            if (units.Find(u => Same(u.Name, unitName)) is { } unit && userTypes.Find(t => Same(t.Name, userTypeName)) is { } userType)
            {
                db.Memberships.Add(new Membership { Person = person, Unit = unit, UserType = userType });
            }
        }
    }

    /// <summary>Whether sync assigned this unit and user type to the person (as opposed to an administrator, by hand).</summary>
    public static bool AssignedBySync(Person person, string unit, string userType)
    {
        if (string.IsNullOrEmpty(person.SyncedAssignment))
        {
            return false;
        }

        var synced = System.Text.Json.JsonSerializer.Deserialize<SyncedAssignmentJson>(person.SyncedAssignment);
        return synced?.Unit is { } u && Same(u, unit) && (synced.UserTypes ?? []).Any(t => Same(t, userType));
    }

    private static HashSet<(string Unit, string UserType)> Pairs(EmployeeAssignment assignment) =>
        assignment.Unit is null ? [] : [.. assignment.UserTypes.Select(t => (assignment.Unit, t))];

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The shape EntraSync.EntityFrameworkCore stores in <see cref="Person.SyncedAssignment"/>.</summary>
internal sealed record SyncedAssignmentJson(
    [property: System.Text.Json.Serialization.JsonPropertyName("unit")] string? Unit,
    [property: System.Text.Json.Serialization.JsonPropertyName("userTypes")] List<string>? UserTypes);
