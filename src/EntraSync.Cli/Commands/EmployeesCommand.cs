using System.CommandLine;
using EntraSync.Cli.Output;
using EntraSync.Cli.Storage;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync employees</c>: what the store holds for the tenant.</summary>
internal static class EmployeesCommand
{
    private static readonly Option<string> Search = new("--search")
    {
        Description = "Only employees whose name, email or directory id contains this text.",
        HelpName = "TEXT",
    };

    private static readonly Option<bool> Deactivated = new("--deactivated")
    {
        Description = "Only deactivated (soft-deleted) employees.",
    };

    private static readonly Option<int> Max = new("--max")
    {
        Description = "List at most this many (0 for all; the counts are always complete).",
        DefaultValueFactory = _ => 0,
        HelpName = "N",
    };

    public static Command Create() => new("employees", "List the employees the database holds for the tenant: email, names, unit, user types, state.")
    {
        Search,
        Deactivated,
        Max.AtLeast(0),
    };

    public static async Task<int> RunAsync(CommandContext context)
    {
        var settings = context.Settings;
        await context.UseStoredTenantAsync().ConfigureAwait(false);
        await using var host = await context.StartHostAsync(readsDirectory: false, createsDatabase: false).ConfigureAwait(false);
        var all = await CliStorage.ListEmployeesAsync(host.Services, settings.Profile.TenantId, settings.DbPath, context.CancellationToken).ConfigureAwait(false);

        var search = context.Parse.GetValue(Search);
        IEnumerable<EmployeeInfo> selected = all;
        if (!string.IsNullOrWhiteSpace(search))
        {
            selected = selected.Where(e =>
                Contains(e.DisplayName, search) || Contains(e.Email, search) || Contains(e.DirectoryId, search)
                || Contains(e.FirstName, search) || Contains(e.LastName, search));
        }

        if (context.Parse.GetValue(Deactivated))
        {
            selected = selected.Where(e => e.State == "deactivated");
        }

        var matching = selected.ToList();
        var max = context.Parse.GetValue(Max);
        var listed = max > 0 ? matching.Take(max).ToList() : matching;
        if (context.Json)
        {
            context.WriteJson(new EmployeesDocument(
                "employees",
                ExitCodes.Success,
                settings.Profile.TenantId,
                settings.DbPath,
                matching.Count,
                matching.Count(e => e.State == "active"),
                matching.Count(e => e.State == "deactivated"),
                listed.Count < matching.Count,
                listed));
            return ExitCodes.Success;
        }

        var writer = context.Out;
        writer.WriteLine($"Employees of {settings.Profile.DisplayName ?? settings.Profile.TenantId} (tenant {settings.Profile.TenantId}) in {settings.DbPath}");
        writer.WriteLine($"  {matching.Count} employee(s): {matching.Count(e => e.State == "active")} active, {matching.Count(e => e.State == "deactivated")} deactivated{(all.Count != matching.Count ? $" (of {all.Count} in the tenant)" : "")}.");
        if (listed.Count == 0)
        {
            writer.WriteLine(all.Count == 0 ? "  The database holds no employees for this tenant yet; run 'entrasync sync'." : "  None match.");
            return ExitCodes.Success;
        }

        writer.WriteLine();
        var hasJobTitle = listed.Any(e => e.Fields.ContainsKey(FieldNames.JobTitle));
        var hasDepartment = listed.Any(e => e.Fields.ContainsKey(FieldNames.Department));
        var headers = new List<string> { "Name", "Email" };
        if (hasJobTitle)
        {
            headers.Add("Job Title");
        }

        if (hasDepartment)
        {
            headers.Add("Department");
        }

        headers.AddRange(["Unit", "User types", "State"]);
        var table = new TextTable([.. headers]);
        foreach (var e in listed)
        {
            var cells = new List<object?> { e.DisplayName ?? $"{e.FirstName} {e.LastName}".Trim(), e.Email };
            if (hasJobTitle)
            {
                cells.Add(e.Fields.GetValueOrDefault(FieldNames.JobTitle));
            }

            if (hasDepartment)
            {
                cells.Add(e.Fields.GetValueOrDefault(FieldNames.Department));
            }

            cells.AddRange([e.Unit, string.Join(", ", e.UserTypes), e.DeactivatedAt is { } at ? $"deactivated {at:yyyy-MM-dd}" : "active"]);
            table.Add([.. cells]);
        }

        table.Write(writer, context.Console.Width);
        if (listed.Count < matching.Count)
        {
            writer.WriteLine($"  ... and {matching.Count - listed.Count} more (--max 0 lists all).");
        }

        return ExitCodes.Success;
    }

    private static bool Contains(string? value, string search) => value?.Contains(search, StringComparison.OrdinalIgnoreCase) == true;
}
