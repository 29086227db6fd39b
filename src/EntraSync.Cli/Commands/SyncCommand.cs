using System.CommandLine;
using EntraSync.Cli.Output;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync sync [--full] [--dry-run]</c>: the main job.</summary>
internal static class SyncCommand
{
    private static readonly Option<bool> Full = new("--full")
    {
        Description = "Read every user, not only the changes since the last run. Anyone linked and not seen has left.",
    };

    private static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Plan only: show what would change, write nothing.",
    };

    public static Command Create() => new("sync", "Sync the directory into the database: create, update and remove employees, and print a summary.")
    {
        Full,
        DryRun,
    };

    public static async Task<int> RunAsync(CommandContext context)
    {
        var settings = context.Settings;
        var options = new SyncRunOptions
        {
            Mode = context.Parse.GetValue(Full) ? SyncMode.Full : SyncMode.Incremental,
            DryRun = context.Parse.GetValue(DryRun),
        };

        await using var host = await context.StartHostAsync(readsDirectory: true, createsDatabase: true).ConfigureAwait(false);
        SyncReport report;
        using (context.ShowProgress(host, options.DryRun ? "Planning" : "Syncing"))
        {
            report = await host.Get<IEntraUserSync>().SyncAsync(settings.Profile, options, context.CancellationToken).ConfigureAwait(false);
        }

        var exitCode = Reports.ExitCode(report);
        if (context.Json)
        {
            context.WriteJson(SyncDocument.From("sync", exitCode, report, settings, DirectorySummary.From(settings)));
        }
        else
        {
            Reports.WriteSummary(context.Out, report, settings, context.Console.Width, Reports.Verb(report));
        }

        if (Reports.Error(report) is { } error)
        {
            context.WriteError(error.Message, error.Hint);
        }

        return exitCode;
    }
}
