using System.CommandLine;
using EntraSync.Cli.Output;
using EntraSync.Cli.Storage;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync approve|reject [ID]</c>: decide on removals a sync staged because they crossed the threshold.</summary>
internal static class RemovalsCommands
{
    private static readonly Argument<string?> Id = new("id")
    {
        Description = "The staged removals' id (from 'entrasync sync' or 'entrasync runs'); the newest pending set when left out.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string> By = new("--by")
    {
        Description = "Who decides, for the record (default: the current user name).",
        HelpName = "NAME",
    };

    public static Command CreateApprove() => new("approve", "Approve staged removals: the employees are removed now.") { Id, By };

    public static Command CreateReject() => new("reject", "Reject staged removals: nobody is removed, and the decision is recorded.") { Id, By };

    public static async Task<int> ApproveAsync(CommandContext context)
    {
        var settings = context.Settings;
        await using var host = await OpenAsync(context).ConfigureAwait(false);
        var sync = host.Get<IEntraUserSync>();
        var staged = await PendingAsync(context, sync).ConfigureAwait(false);
        var report = await DecideAsync(() => sync.ApproveRemovalsAsync(settings.Profile.TenantId, staged.Id, DecidedBy(context), context.CancellationToken)).ConfigureAwait(false);

        var exitCode = report.Outcome == SyncOutcome.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
        if (context.Json)
        {
            context.WriteJson(SyncDocument.From("approve", exitCode, report, settings, directory: null));
        }
        else
        {
            var writer = context.Out;
            writer.WriteLine($"Approved staged removals {staged.Id} of {settings.Profile.DisplayName ?? settings.Profile.TenantId}: {report.Counts.Deactivated + report.Counts.Deleted} employee(s) removed.");
            var table = new TextTable("Result", "Employees").AlignRight(1);
            table.Add("deactivated", report.Counts.Deactivated);
            table.Add("deleted", report.Counts.Deleted);
            table.Write(writer, context.Console.Width);
            Reports.WriteList(writer, "Warnings", report.Warnings);
        }

        return exitCode;
    }

    public static async Task<int> RejectAsync(CommandContext context)
    {
        var settings = context.Settings;
        await using var host = await OpenAsync(context).ConfigureAwait(false);
        var sync = host.Get<IEntraUserSync>();
        var staged = await PendingAsync(context, sync).ConfigureAwait(false);
        var rejected = await DecideAsync(() => sync.RejectRemovalsAsync(settings.Profile.TenantId, staged.Id, DecidedBy(context), context.CancellationToken)).ConfigureAwait(false);

        if (context.Json)
        {
            context.WriteJson(new RejectDocument("reject", ExitCodes.Success, settings.Profile.TenantId, settings.DbPath, StagedRemovalsInfo.From(rejected)));
        }
        else
        {
            context.Out.WriteLine($"Rejected {rejected.Removals.Count} staged removal(s) (id {rejected.Id}); nobody was removed.");
            context.Out.WriteLine("If those users are still gone at the next sync, it stages their removal again.");
        }

        return ExitCodes.Success;
    }

    /// <summary>Runs the decision; the engine's "already decided" or "a sync is running" become one-line failures.</summary>
    private static async Task<T> DecideAsync<T>(Func<Task<T>> decide)
    {
        try
        {
            return await decide().ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw CliException.Failure(ex.Message, "Run 'entrasync runs' to see the staged removals and their state.", ex);
        }
    }

    private static async Task<Hosting.CliHost> OpenAsync(CommandContext context)
    {
        await context.UseStoredTenantAsync().ConfigureAwait(false);
        return await context.StartHostAsync(readsDirectory: false, createsDatabase: false).ConfigureAwait(false);
    }

    private static async Task<StagedRemovals> PendingAsync(CommandContext context, IEntraUserSync sync)
    {
        var tenantId = context.Settings.Profile.TenantId;
        var all = await sync.GetStagedRemovalsAsync(tenantId, context.CancellationToken).ConfigureAwait(false);
        var id = context.Parse.GetValue(Id);
        if (string.IsNullOrWhiteSpace(id))
        {
            return all.FirstOrDefault(s => s.Status == StagedRemovalsStatus.Pending)
                ?? throw CliException.Failure($"No removals are waiting for approval for tenant {tenantId}.", "A sync stages removals only when they cross the profile's Removal thresholds; 'entrasync runs' shows the history.");
        }

        // A set that is no longer pending goes to the engine too: it refuses it saying why (decided, superseded by a
        // later read, or expired).
        return all.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))
            ?? throw CliException.Failure($"Tenant {tenantId} has no staged removals with id '{id}'.", "Run 'entrasync runs' to see the ids of staged removals.");
    }

    private static string DecidedBy(CommandContext context) =>
        context.Parse.GetValue(By) is { Length: > 0 } by ? by : context.Console.UserName;
}
