using System.CommandLine;
using EntraSync.Cli.Output;
using EntraSync.Cli.Storage;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync runs</c>: the tenant's run history and its staged removals.</summary>
internal static class RunsCommand
{
    private static readonly Option<int> Max = new("--max")
    {
        Description = "How many runs to show, newest first.",
        DefaultValueFactory = _ => 20,
        HelpName = "N",
    };

    public static Command Create() => new("runs", "Show the run history (newest first) and the removals waiting for approval.") { Max.AtLeast(1) };

    public static async Task<int> RunAsync(CommandContext context)
    {
        var settings = context.Settings;
        await context.UseStoredTenantAsync().ConfigureAwait(false);
        var tenantId = settings.Profile.TenantId;
        await using var host = await context.StartHostAsync(readsDirectory: false, createsDatabase: false).ConfigureAwait(false);
        var state = host.Get<ISyncStateStore>();
        var runs = await state.GetRunsAsync(tenantId, context.Parse.GetValue(Max), context.CancellationToken).ConfigureAwait(false);
        var staged = await state.GetStagedRemovalsAsync(tenantId, context.CancellationToken).ConfigureAwait(false);

        if (context.Json)
        {
            context.WriteJson(new RunsDocument(
                "runs",
                ExitCodes.Success,
                tenantId,
                settings.DbPath,
                runs.Select(RunInfo.From).ToList(),
                staged.Select(StagedRemovalsInfo.From).ToList()));
            return ExitCodes.Success;
        }

        var writer = context.Out;
        writer.WriteLine($"Runs of {settings.Profile.DisplayName ?? tenantId} (tenant {tenantId}) in {settings.DbPath}");
        if (runs.Count == 0)
        {
            writer.WriteLine("  No runs yet; run 'entrasync sync'.");
        }
        else
        {
            writer.WriteLine();
            var table = new TextTable("Started (UTC)", "Run", "Mode", "Outcome", "Read", "Changes", "Staged", "Skipped", "Took").AlignRight(4, 5, 6, 7, 8);
            foreach (var run in runs)
            {
                table.Add(
                    run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    run.RunId,
                    run.Mode.ToString().ToLowerInvariant(),
                    run.Outcome.ToString(),
                    run.Counts.Read,
                    run.Counts.Changes,
                    run.Counts.Staged,
                    run.Counts.Skipped,
                    Reports.Seconds(run.Duration));
            }

            table.Write(writer, context.Console.Width);
            foreach (var failed in runs.Where(r => r.Errors.Count > 0).Take(3))
            {
                writer.WriteLine($"  run {failed.RunId}: {failed.Errors[0]}");
            }
        }

        var pending = staged.Where(s => s.Status == StagedRemovalsStatus.Pending).ToList();
        foreach (var set in pending)
        {
            writer.WriteLine();
            writer.WriteLine($"Waiting for approval: {set.Removals.Count} removal(s), id {set.Id}, staged {set.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by run {set.RunId}.");
            if (set.Reason is not null)
            {
                writer.WriteLine($"  why staged: {set.Reason}");
            }

            var table = new TextTable("Email", "Directory id", "Action", "Because");
            foreach (var removal in set.Removals.Take(15))
            {
                table.Add(removal.Email, removal.DirectoryId, removal.Action.ToString().ToLowerInvariant(), Cause(removal.Cause));
            }

            table.Write(writer, context.Console.Width);
            if (set.Removals.Count > 15)
            {
                writer.WriteLine($"  ... and {set.Removals.Count - 15} more (--json lists all).");
            }

            writer.WriteLine($"  Decide with 'entrasync approve {set.Id}' or 'entrasync reject {set.Id}'.");
        }

        var decided = staged.Where(s => s.Status != StagedRemovalsStatus.Pending).Take(5).ToList();
        if (decided.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Decided staged removals:");
            var table = new TextTable("Id", "Removals", "Decision", "When (UTC)", "By").AlignRight(1);
            foreach (var set in decided)
            {
                table.Add(set.Id, set.Removals.Count, set.Status.ToString().ToLowerInvariant(), set.DecidedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), set.DecidedBy);
            }

            table.Write(writer, context.Console.Width);
        }

        return ExitCodes.Success;
    }

    internal static string Cause(RemovalCause cause) => cause switch
    {
        RemovalCause.NotInDirectory => "not in the directory any more",
        RemovalCause.SoftDeletedInDirectory => "deleted in the directory (restorable)",
        RemovalCause.DeletedInDirectory => "permanently deleted in the directory",
        RemovalCause.OutOfScope => "no longer in scope",
        _ => cause.ToString(),
    };
}
