using System.Globalization;
using EntraSync.Cli.Commands;
using EntraSync.Cli.Configuration;

namespace EntraSync.Cli.Output;

/// <summary>Turns a <see cref="SyncReport"/> into an exit code and a summary for people.</summary>
internal static class Reports
{
    private const int ListedUsers = 20;

    public static bool NothingChanged(SyncReport report) =>
        report.Outcome == SyncOutcome.Succeeded && report.Counts.Changes == 0 && report.Counts.Staged == 0;

    public static int ExitCode(SyncReport report) => report.Outcome switch
    {
        SyncOutcome.Succeeded when !report.IsDryRun && (report.StagedRemovalsId is not null || report.Counts.Staged > 0) => ExitCodes.StagedRemovals,
        SyncOutcome.Succeeded => ExitCodes.Success,
        SyncOutcome.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };

    /// <summary>The first word(s) of a sync's summary line: "Synced" only for a sync that did what it set out to.</summary>
    public static string Verb(SyncReport report) => report.Outcome switch
    {
        SyncOutcome.Succeeded => report.IsDryRun ? "Planned sync of" : "Synced",
        SyncOutcome.PartiallySucceeded => "Synced part of",
        SyncOutcome.Cancelled => "Cancelled sync of",
        SyncOutcome.AlreadyRunning => "Did not start the sync of",
        SyncOutcome.Disabled => "Sync switched off for",
        _ => "Sync failed for",
    };

    /// <summary>
    /// When the report's user list stopped at the profile's limit: how many users it holds and how to get every one
    /// (the counts are always complete); otherwise <see langword="null"/>.
    /// </summary>
    public static string? TruncationNote(SyncReport report, CliSettings settings) => report.IsUserListTruncated
        ? $"The report lists the first {report.Users.Count:N0} users (MaxUserOutcomesInReport is {settings.Profile.MaxUserOutcomesInReport:N0}); the counts are complete. "
          + $"To list every user, set \"MaxUserOutcomesInReport\" to at least {ReportedUsers(report.Counts):N0} in the --config file and run again."
        : null;

    private static int ReportedUsers(SyncCounts counts) =>
        counts.Changes + counts.Unchanged + counts.Skipped + counts.OutOfScope + counts.Staged + counts.Kept;

    /// <summary>Writes the summary of a sync (or of approved removals).</summary>
    public static void WriteSummary(TextWriter writer, SyncReport report, CliSettings settings, int? width, string verb)
    {
        var profile = settings.Profile;
        writer.WriteLine($"{verb} {profile.DisplayName ?? profile.TenantId} (tenant {report.TenantId})");
        writer.WriteLine($"  directory: {settings.DirectoryDescription}");
        writer.WriteLine($"  database:  {settings.DbPath}");
        var read = report.Mode == SyncMode.Full ? "full read" : "incremental read (changes since the last run)";
        writer.WriteLine($"  run:       {report.RunId}, {read}{(report.IsDryRun ? ", dry run (nothing written)" : "")}, {Seconds(report.Duration)}");
        if (report.FallbackReason is not null)
        {
            writer.WriteLine($"  note:      {report.FallbackReason}");
        }

        writer.WriteLine();
        if (report.Outcome is SyncOutcome.Failed or SyncOutcome.AlreadyRunning or SyncOutcome.Disabled && report.Counts.Read == 0)
        {
            // Nothing was read: the error line on standard error says what went wrong, and a table of zeros would not.
            WriteList(writer, "Warnings", report.Warnings);
            writer.WriteLine(Conclusion(report));
            return;
        }

        var counts = report.Counts;
        var table = new TextTable("Result", "Users").AlignRight(1);
        void Row(string name, int value, bool always = false)
        {
            if (value != 0 || always)
            {
                table.Add(name, value);
            }
        }

        Row("read", counts.Read, always: true);
        Row(report.IsDryRun ? "would create" : "created", counts.Created);
        Row(report.IsDryRun ? "would link" : "linked", counts.Linked);
        Row(report.IsDryRun ? "would update" : "updated", counts.Updated);
        Row(report.IsDryRun ? "would reactivate" : "reactivated", counts.Reactivated);
        Row(report.IsDryRun ? "would deactivate" : "deactivated", counts.Deactivated);
        Row(report.IsDryRun ? "would delete" : "deleted", counts.Deleted);
        Row(report.IsDryRun ? "would purge" : "purged", counts.Purged);
        Row("staged for approval", counts.Staged);
        Row("kept (removal policy)", counts.Kept);
        Row("unchanged", counts.Unchanged);
        Row("skipped", counts.Skipped);
        Row("out of scope", counts.OutOfScope);
        Row("without unit or user type", counts.Unassigned);
        table.Write(writer, width);

        // A truncated list holds only some of the users: its reason tables must not pass for the whole run.
        var partial = report.IsUserListTruncated ? $" (of the first {report.Users.Count:N0} users the report lists; see the note below)" : "";
        WriteReasons(writer, "Out of scope" + partial, report.Users.Where(u => u.Action == UserAction.OutOfScope), width);
        WriteReasons(writer, "Skipped" + partial, report.Users.Where(u => u.Action == UserAction.Skipped), width);
        WriteUnmatched(writer, "Unit values that matched no unit", report.UnmatchedUnitValues, width);
        WriteUnmatched(writer, "User-type values that matched no user type", report.UnmatchedUserTypeValues, width);

        var changes = report.Users.Where(u => u.Action is not (UserAction.OutOfScope or UserAction.Skipped)).ToList();
        if (changes.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine(report.IsDryRun ? "Planned changes:" : "Changes:");
            var list = new TextTable("Action", "User", "Details");
            foreach (var user in changes.Take(ListedUsers))
            {
                list.Add(Action(user.Action, report.IsDryRun), Name(user.DisplayName, user.Email, user.DirectoryId), Details(user));
            }

            list.Write(writer, width);
            if (changes.Count > ListedUsers && !report.IsUserListTruncated)
            {
                writer.WriteLine($"  ... and {changes.Count - ListedUsers} more; --json lists every user.");
            }
            else if (changes.Count > ListedUsers)
            {
                writer.WriteLine($"  ... and {changes.Count - ListedUsers} more in --json.");
            }
        }

        if (TruncationNote(report, settings) is { } note)
        {
            writer.WriteLine();
            writer.WriteLine($"Note: {note}");
        }

        WriteList(writer, "Warnings", report.Warnings);
        WriteList(writer, "Errors", report.Errors);
        writer.WriteLine();
        writer.WriteLine(Conclusion(report));
    }

    public static string Conclusion(SyncReport report)
    {
        var counts = report.Counts;
        return report.Outcome switch
        {
            SyncOutcome.Succeeded when report.StagedRemovalsId is not null =>
                $"{counts.Staged} removal(s) crossed the safety threshold and are staged for approval (id {report.StagedRemovalsId}). " +
                $"Review them with 'entrasync runs', then run 'entrasync approve {report.StagedRemovalsId}' or 'entrasync reject {report.StagedRemovalsId}'.",
            SyncOutcome.Succeeded when NothingChanged(report) =>
                $"Nothing {(report.IsDryRun ? "would change" : "changed")}: {counts.Read} user(s) read, every employee is up to date.",
            SyncOutcome.Succeeded =>
                $"Done: {counts.Changes} change(s) {(report.IsDryRun ? "planned, nothing written" : "written")}" +
                (counts.Staged > 0 ? $", {counts.Staged} removal(s) would be staged for approval" : "") + ".",
            SyncOutcome.PartiallySucceeded => "The directory read did not complete, so nobody was removed.",
            SyncOutcome.Cancelled when Removed(counts) > 0 => $"Cancelled after {Removed(counts)} removal(s) were written; nobody else was removed. The next sync completes what this one did not.",
            SyncOutcome.Cancelled => "Cancelled: nobody was removed; the next sync completes what this one did not.",
            SyncOutcome.AlreadyRunning => "Another sync of this tenant is running; this one did not start.",
            SyncOutcome.Disabled => "Sync is switched off for this profile (Enabled: false).",
            _ when Removed(counts) > 0 => $"The sync failed after {Removed(counts)} removal(s) were written; nobody else was removed.",
            _ => "The sync failed; nobody was removed.",
        };
    }

    private static int Removed(SyncCounts counts) => counts.Deactivated + counts.Deleted + counts.Purged;

    /// <summary>The error line and hint for a run that did not succeed, or <see langword="null"/>.</summary>
    public static (string Message, string Hint)? Error(SyncReport report) => report.Outcome switch
    {
        SyncOutcome.Succeeded => null,
        SyncOutcome.Disabled => ("Sync is switched off for this profile.", "Set \"Enabled\": true in the --config file."),
        SyncOutcome.Cancelled => null,
        _ => (report.Errors.FirstOrDefault() ?? Conclusion(report), Hints.ForFailureKind(report.FailureKind)),
    };

    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds < 10 ? $"{duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s" : $"{duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";

    public static string Name(string? displayName, string? email, string? id) =>
        (displayName, email) switch
        {
            (not null, not null) => $"{displayName} <{email}>",
            (not null, null) => displayName,
            (null, not null) => email,
            _ => id ?? "(no id)",
        };

    public static void WriteReasons(TextWriter writer, string title, IEnumerable<UserOutcome> users, int? width)
    {
        var reasons = users.GroupBy(u => u.Reason ?? "(no reason given)").Select(g => (Reason: g.Key, Count: g.Count())).ToList();
        WriteCounts(writer, title, reasons, width);
    }

    public static void WriteCounts(TextWriter writer, string title, IReadOnlyList<(string Reason, int Count)> reasons, int? width, string header = "Reason")
    {
        if (reasons.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine($"{title}:");
        var table = new TextTable(header, "Users").AlignRight(1);
        const int Shown = 10;
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).Take(Shown))
        {
            table.Add(reason, count);
        }

        if (reasons.Count > Shown)
        {
            table.Add($"({reasons.Count - Shown} other {(header == "Value" ? "values" : "reasons")})", reasons.OrderByDescending(r => r.Count).Skip(Shown).Sum(r => r.Count));
        }

        table.Write(writer, width);
    }

    public static void WriteUnmatched(TextWriter writer, string title, IReadOnlyDictionary<string, int> values, int? width) =>
        WriteCounts(writer, title, values.Select(v => (v.Key, v.Value)).ToList(), width, "Value");

    public static void WriteList(TextWriter writer, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine($"{title}:");
        foreach (var item in items)
        {
            writer.WriteLine($"  - {item}");
        }
    }

    private static string Action(UserAction action, bool dryRun) => (action, dryRun) switch
    {
        (UserAction.Staged, _) => "staged",
        (UserAction.OutOfScope, _) => "out of scope",
        (UserAction.Created, true) => "would create",
        (UserAction.Linked, true) => "would link",
        (UserAction.Updated, true) => "would update",
        (UserAction.Reactivated, true) => "would reactivate",
        (UserAction.Deactivated, true) => "would deactivate",
        (UserAction.Deleted, true) => "would delete",
        (UserAction.Purged, true) => "would purge",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string Details(UserOutcome user)
    {
        if (user.ChangedFields.Count > 0)
        {
            return string.Join("; ", user.ChangedFields.Select(f => $"{f.Field}: '{f.OldValue}' -> '{f.NewValue}'"));
        }

        if (user.Reason is not null)
        {
            return user.Reason;
        }

        return user.Assignment is { } assignment && (assignment.Unit is not null || assignment.UserTypes.Count > 0) ? assignment.ToString() : "";
    }
}
