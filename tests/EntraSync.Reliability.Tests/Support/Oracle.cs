using EntraSync.EntityFrameworkCore;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>How the store compares with the directory: what a host's customer would call lost, wrongly kept or doubled.</summary>
public sealed record Comparison(int Expected, int Lost, int NotRemoved, int Stale, int Duplicates, int LocalChanged, IReadOnlyList<string> Details)
{
    public bool Converged => Lost == 0 && NotRemoved == 0 && Stale == 0 && Duplicates == 0 && LocalChanged == 0;

    public override string ToString() =>
        $"expected {Expected}, lost {Lost}, not removed {NotRemoved}, stale {Stale}, duplicates {Duplicates}, local changed {LocalChanged}: {string.Join("; ", Details.Take(10))}";
}

public static class Oracle
{
    /// <summary>
    /// Compares the store's employees of a tenant with the directory's users in scope: every user in scope is an
    /// active employee with the directory's email and fields, nobody else is active and linked, no directory id is
    /// linked twice, and the host's own employees are exactly as they were.
    /// </summary>
    public static Comparison Compare(IReadOnlyList<SyncedEmployee> rows, IEnumerable<EmulatedUser> directory, IReadOnlyList<SyncedEmployee>? locals = null)
    {
        var expected = directory.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        var details = new List<string>();
        var linked = rows.Where(r => r.DirectoryId is not null).ToList();
        var duplicates = linked.GroupBy(r => r.DirectoryId!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        details.AddRange(duplicates.Select(g => $"{g.Key} linked {g.Count()} times"));
        var active = linked.Where(r => r.DeactivatedAt is null).GroupBy(r => r.DirectoryId!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var lost = expected.Keys.Where(id => !active.ContainsKey(id)).ToList();
        details.AddRange(lost.Select(id => $"{id} is in the directory but not an active employee"));
        var notRemoved = active.Keys.Where(id => !expected.ContainsKey(id)).ToList();
        details.AddRange(notRemoved.Select(id => $"{id} left the directory but is still active"));
        var stale = 0;
        foreach (var (id, user) in expected)
        {
            if (active.TryGetValue(id, out var row) && (row.Email != user.Mail?.Trim() || row.GetField(FieldNames.JobTitle) != user.JobTitle
                || row.GetField(FieldNames.LastName) != user.Surname || row.GetField(FieldNames.Department) != user.Department))
            {
                stale++;
                details.Add($"{id} differs: {row.Email}/{row.GetField(FieldNames.JobTitle)} vs {user.Mail}/{user.JobTitle}");
            }
        }

        var localChanged = 0;
        foreach (var local in locals ?? [])
        {
            var now = rows.FirstOrDefault(r => r.Id == local.Id);
            if (now is null || now.DirectoryId is not null || now.DeactivatedAt is not null || now.Fields != local.Fields || now.Email != local.Email || now.Version != local.Version)
            {
                localChanged++;
                details.Add($"the host's own employee {local.Email} was changed or removed");
            }
        }

        return new Comparison(expected.Count, lost.Count, notRemoved.Count, stale, duplicates.Count, localChanged, details);
    }

    /// <summary>Employees active before a run whose user is still in the directory but who are not active after it.</summary>
    public static List<string> WronglyRemoved(IReadOnlyList<SyncedEmployee> before, IReadOnlyList<SyncedEmployee> after, IEnumerable<EmulatedUser> directory)
    {
        var inDirectory = directory.Select(u => u.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var activeAfter = after.Where(r => r.DirectoryId is not null && r.DeactivatedAt is null).Select(r => r.DirectoryId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return before.Where(r => r.DirectoryId is not null && r.DeactivatedAt is null && inDirectory.Contains(r.DirectoryId) && !activeAfter.Contains(r.DirectoryId))
            .Select(r => r.DirectoryId!).ToList();
    }
}
