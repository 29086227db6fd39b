using System.CommandLine;
using EntraSync.Cli.Output;
using EntraSync.Preview;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync preview</c>: who is in and out of scope and why, mapped fields, units and user types, totals. Writes nothing.</summary>
internal static class PreviewCommand
{
    private const int TextDefault = 30;
    private const int JsonDefault = 1_000;

    private static readonly Option<int?> Max = new("--max")
    {
        Description = $"How many users to list (default {TextDefault}, or {JsonDefault} with --json); the totals always count everyone.",
        HelpName = "N",
    };

    private static readonly Option<string> Show = new("--show")
    {
        Description = "Which users to list: all, imported, out-of-scope or skipped.",
        DefaultValueFactory = _ => "all",
        HelpName = "WHICH",
    };

    public static Command Create()
    {
        Show.AcceptOnlyFromAmong("all", "imported", "out-of-scope", "skipped");
        return new Command("preview", "Preview the profile on the directory: who is in or out of scope and why, mapped fields, units, user types and totals. Writes nothing.")
        {
            Max.AtLeast(0),
            Show,
        };
    }

    public static async Task<int> RunAsync(CommandContext context)
    {
        var settings = context.Settings;
        var show = context.Parse.GetValue(Show) ?? "all";
        var max = context.Parse.GetValue(Max) ?? (context.Json ? JsonDefault : TextDefault);
        await using var host = await context.StartHostAsync(readsDirectory: true, createsDatabase: false).ConfigureAwait(false);
        SyncPreviewResult result;
        using (context.ShowProgress(host, "Reading"))
        {
            // The preview lists users in directory order up to its limit; ask for everyone when only some kinds are shown.
            var options = new SyncPreviewOptions { MaxUsers = show == "all" ? max : int.MaxValue, IncludeOutOfScope = show is "all" or "out-of-scope" };
            result = await host.Get<ISyncPreview>().PreviewAsync(settings.Profile, options, context.CancellationToken).ConfigureAwait(false);
        }

        var users = result.Users.Where(u => show switch
        {
            "imported" => u.Outcome == UserPreviewOutcome.Imported,
            "out-of-scope" => u.Outcome == UserPreviewOutcome.OutOfScope,
            "skipped" => u.Outcome == UserPreviewOutcome.Skipped,
            _ => true,
        }).ToList();
        var truncated = result.IsUserListTruncated || users.Count > max;
        users = users.Take(max).ToList();

        var exitCode = result.Errors.Count == 0 && result.IsComplete ? ExitCodes.Success : ExitCodes.Failure;
        if (context.Json)
        {
            context.WriteJson(PreviewDocument.From(exitCode, result, users, truncated, settings.Profile.TenantId, DirectorySummary.From(settings)));
        }
        else
        {
            Write(context, result, users, truncated);
        }

        if (result.Errors.Count > 0)
        {
            context.WriteError(result.Errors[0], "Run 'entrasync check' to test the connection and permissions.");
        }

        return exitCode;
    }

    private static void Write(CommandContext context, SyncPreviewResult result, IReadOnlyList<UserPreview> users, bool truncated)
    {
        var settings = context.Settings;
        var writer = context.Out;
        var width = context.Console.Width;
        writer.WriteLine($"Preview of {settings.Profile.DisplayName ?? settings.Profile.TenantId} (tenant {result.TenantId}): nothing is written");
        writer.WriteLine($"  directory: {settings.DirectoryDescription}");
        if (result.Properties.Count > 0)
        {
            writer.WriteLine($"  reads:     {string.Join(", ", result.Properties)}");
        }

        writer.WriteLine();
        var totals = result.Totals;
        var table = new TextTable("Users", "Count").AlignRight(1);
        table.Add("read", totals.Read);
        table.Add("would be imported", totals.Imported);
        table.Add("out of scope", totals.OutOfScope);
        table.Add("skipped", totals.Skipped);
        table.Add("imported without unit or user type", totals.Unassigned);
        table.Write(writer, width);

        Reports.WriteCounts(writer, "Out of scope, by reason", totals.OutOfScopeByReason.Select(r => (r.Key, r.Value)).ToList(), width);
        Reports.WriteCounts(writer, "Skipped, by reason", totals.SkippedByReason.Select(r => (Skip(r.Key), r.Value)).ToList(), width);
        Reports.WriteUnmatched(writer, "Unit values that matched no unit", result.UnmatchedUnitValues, width);
        Reports.WriteUnmatched(writer, "User-type values that matched no user type", result.UnmatchedUserTypeValues, width);

        if (users.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Users:");
            var list = new TextTable("Outcome", "User", "Unit / user types", "Why");
            foreach (var user in users)
            {
                list.Add(
                    user.Outcome switch
                    {
                        UserPreviewOutcome.Imported => "import",
                        UserPreviewOutcome.OutOfScope => "out of scope",
                        _ => "skip",
                    },
                    Reports.Name(user.DisplayName, user.Email, user.DirectoryId),
                    user.Assignment is { } a ? a.ToString() : "",
                    user.Reason ?? user.AssignmentNote ?? "");
            }

            list.Write(writer, width);
            if (truncated)
            {
                writer.WriteLine("  ... more users not listed (--max N lists more; --json gives every field).");
            }
        }

        Reports.WriteList(writer, "Warnings", result.Warnings);
        Reports.WriteList(writer, "Errors", result.Errors);
    }

    internal static string Skip(SkipReason reason) => reason switch
    {
        SkipReason.MissingEmail => "no email found",
        SkipReason.MissingMandatoryField => "a mandatory field is empty",
        SkipReason.DuplicateEmail => "another user has the same email",
        SkipReason.InvalidRecord => "the record could not be read",
        _ => reason.ToString(),
    };
}

internal sealed record PreviewDocument(
    string Command,
    int ExitCode,
    string TenantId,
    DirectorySummary Directory,
    bool Complete,
    IReadOnlyCollection<string> Properties,
    PreviewTotalsInfo Totals,
    IReadOnlyList<UserPreviewInfo> Users,
    bool UsersTruncated,
    IReadOnlyDictionary<string, int> UnmatchedUnitValues,
    IReadOnlyDictionary<string, int> UnmatchedUserTypeValues,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors) : CommandDocument(Command, ExitCode)
{
    public static PreviewDocument From(int exitCode, SyncPreviewResult result, IReadOnlyList<UserPreview> users, bool truncated, string tenantId, DirectorySummary directory) => new(
        "preview",
        exitCode,
        tenantId,
        directory,
        result.IsComplete,
        result.Properties,
        new PreviewTotalsInfo(
            result.Totals.Read,
            result.Totals.Imported,
            result.Totals.OutOfScope,
            result.Totals.Skipped,
            result.Totals.Unassigned,
            result.Totals.OutOfScopeByReason,
            result.Totals.SkippedByReason.ToDictionary(r => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(r.Key.ToString()), r => r.Value)),
        users.Select(u => new UserPreviewInfo(
            u.DirectoryId,
            u.DisplayName,
            u.Email,
            u.Outcome,
            u.Reason,
            u.SkipReason,
            u.Fields,
            u.Assignment?.Unit,
            u.Assignment?.UserTypes,
            u.AssignmentNote)).ToList(),
        truncated,
        result.UnmatchedUnitValues,
        result.UnmatchedUserTypeValues,
        result.Warnings,
        result.Errors);
}

internal sealed record PreviewTotalsInfo(
    int Read,
    int Imported,
    int OutOfScope,
    int Skipped,
    int Unassigned,
    IReadOnlyDictionary<string, int> OutOfScopeByReason,
    IReadOnlyDictionary<string, int> SkippedByReason);

internal sealed record UserPreviewInfo(
    string? DirectoryId,
    string? DisplayName,
    string? Email,
    UserPreviewOutcome Outcome,
    string? Reason,
    SkipReason? SkipReason,
    IReadOnlyDictionary<string, string?> Fields,
    string? Unit,
    IReadOnlyList<string>? UserTypes,
    string? AssignmentNote);
