using System.CommandLine;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Output;
using EntraSync.Connectivity;
using EntraSync.Preview;

namespace EntraSync.Cli.Commands;

/// <summary><c>entrasync check</c>: "Check connectivity": every check with its status and, when it failed, the fix.</summary>
internal static class CheckCommand
{
    public static Command Create() => new("check", "Check the connection: sign-in, tenant, users, groups, photos and the OData filter, each with its status and fix; and the change-notification subscription's health.");

    public static async Task<int> RunAsync(CommandContext context)
    {
        var settings = context.Settings;
        await using var host = await context.StartHostAsync(readsDirectory: true, createsDatabase: false).ConfigureAwait(false);
        var report = await host.Get<IDirectoryConnectivityChecker>().CheckConnectivityAsync(settings.Profile, context.CancellationToken).ConfigureAwait(false);
        var exitCode = report.IsHealthy ? ExitCodes.Success : ExitCodes.Failure;

        // The connectivity check counts the users the directory's scope (Scope settings) returns; the profile's own
        // rules (people only, mandatory fields) then leave some out. Count those as preview does, so the two agree.
        SyncPreviewTotals? totals = null;
        if (report.IsHealthy && !context.Json)
        {
            var preview = await host.Get<ISyncPreview>().PreviewAsync(settings.Profile, new SyncPreviewOptions { MaxUsers = 0, IncludeOutOfScope = false }, context.CancellationToken).ConfigureAwait(false);
            totals = preview.IsComplete ? preview.Totals : null;
        }

        // Subscription health is information: notifications are optional, so it never changes the exit code.
        var connected = !report.Checks.Any(c => c.Name == ConnectivityCheckNames.Token && c.Status == ConnectivityStatus.Failed);
        var notifications = await SubscriptionHealth.ReadAsync(host, settings, connected, context.CancellationToken).ConfigureAwait(false);

        if (context.Json)
        {
            context.WriteJson(CheckDocument.From(exitCode, report, DirectorySummary.From(settings), notifications));
        }
        else
        {
            var writer = context.Out;
            writer.WriteLine($"Connectivity of {settings.Profile.DisplayName ?? settings.Profile.TenantId} (tenant {report.TenantId})");
            writer.WriteLine($"  directory: {settings.DirectoryDescription}");
            writer.WriteLine();
            var table = new TextTable("Check", "Status", "Details");
            foreach (var check in report.Checks)
            {
                var message = settings.Directory == DirectoryKind.Demo && check.Name == ConnectivityCheckNames.Token && check.Status == ConnectivityStatus.Passed
                    ? "No sign-in needed: the built-in demo tenant runs inside this tool."
                    : check.Message;
                table.Add(check.Name, check.Status.ToString().ToLowerInvariant(), message);
            }

            table.Write(writer, context.Console.Width);
            var fixes = report.Checks.Where(c => c.Status is ConnectivityStatus.Failed or ConnectivityStatus.Warning && (c.MissingPermission ?? c.Setting) is not null).ToList();
            if (fixes.Count > 0)
            {
                writer.WriteLine();
                writer.WriteLine("To fix:");
                foreach (var check in fixes)
                {
                    var what = check.MissingPermission is not null
                        ? $"grant the Microsoft Graph application permission {check.MissingPermission} and give admin consent"
                        : $"correct the setting {check.Setting}";
                    writer.WriteLine($"  - {check.Name}: {what}{(check.ErrorCode is null ? "" : $" ({check.ErrorCode})")}.");
                }
            }

            writer.WriteLine();
            if (report.Tenant is { } tenant)
            {
                var scope = report.UsersInScope is { } n ? $", {n} user(s) in the directory scope" : "";
                var profile = totals is { } t ? $"; after the profile's rules {t.Imported} would be imported, {t.OutOfScope} are out of scope and {t.Skipped} skipped (as 'entrasync preview' counts them)" : "";
                writer.WriteLine($"Tenant: {tenant.DisplayName} ({tenant.DefaultDomain ?? tenant.InitialDomain ?? tenant.Id}){scope}{profile}.");
            }

            var failed = report.Checks.Where(c => c.Status == ConnectivityStatus.Failed).Select(c => c.Name).ToList();
            writer.WriteLine(failed.Count == 0 ? "All checks passed: sync can run." : $"{failed.Count} check(s) failed: {string.Join(", ", failed)}. Sync cannot run until they pass.");
            SubscriptionHealth.Write(writer, notifications, host.Get<TimeProvider>().GetUtcNow());
        }

        if (report.FirstFailure is { } first)
        {
            var hint = first.MissingPermission is not null
                ? $"Grant {first.MissingPermission} (application permission) on the app registration, give admin consent, then run 'entrasync check' again."
                : first.ErrorKind is { } kind ? Hints.ForDirectory(kind) : "Fix the setting named above and run 'entrasync check' again.";
            context.WriteError($"{first.Name} check failed: {first.Message}", hint);
        }

        return exitCode;
    }
}

internal sealed record CheckDocument(
    string Command,
    int ExitCode,
    string TenantId,
    DirectorySummary Directory,
    bool Healthy,
    TenantInfoDocument? Tenant,
    long? UsersInScope,
    IReadOnlyList<CheckInfo> Checks,
    ChangeNotificationsInfo ChangeNotifications) : CommandDocument(Command, ExitCode)
{
    public static CheckDocument From(int exitCode, ConnectivityReport report, DirectorySummary directory, ChangeNotificationsInfo changeNotifications) => new(
        "check",
        exitCode,
        report.TenantId,
        directory,
        report.IsHealthy,
        report.Tenant is { } t ? new TenantInfoDocument(t.Id, t.DisplayName, t.DefaultDomain, t.InitialDomain, t.VerifiedDomains) : null,
        report.UsersInScope,
        report.Checks.Select(c => new CheckInfo(c.Name, c.Status, c.Message, c.MissingPermission, c.Setting, c.ErrorKind?.ToString(), c.ErrorCode)).ToList(),
        changeNotifications);
}

internal sealed record TenantInfoDocument(string Id, string? DisplayName, string? DefaultDomain, string? InitialDomain, IReadOnlyList<string> VerifiedDomains);

internal sealed record CheckInfo(string Name, ConnectivityStatus Status, string Message, string? MissingPermission, string? Setting, string? ErrorKind, string? ErrorCode);
