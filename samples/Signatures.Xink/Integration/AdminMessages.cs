using EntraSync;
using EntraSync.Connectivity;

namespace Signatures.Xink.Integration;

/// <summary>A message for the admin: what happened and what to do, never configuration keys or exception text.</summary>
/// <param name="Text">The words shown.</param>
/// <param name="IsError">Whether it is shown as an error.</param>
public sealed record AdminMessage(string Text, bool IsError);

/// <summary>
/// Turns a run's report into words for the dashboard. The engine's own errors and warnings name configuration keys
/// meant for developers; they go to the log (<see cref="SyncRuns"/>), and the admin reads what to do here instead.
/// </summary>
public static partial class AdminMessages
{
    public static readonly AdminMessage Unexpected = new(
        "Sync Failed: something unexpected stopped it and nobody was removed. Press Sync now to try again; if it fails again, your support contact finds the details in the application log.", true);

    public static AdminMessage Describe(SyncReport report)
    {
        var c = report.Counts;
        var removed = c.Deleted + c.Deactivated;
        var done = $"{c.Created} added, {c.Updated + c.Linked + c.Reactivated} updated, {removed} removed";
        var held = c.Staged > 0 ? $" {c.Staged} removals are held for your approval (below): nobody was removed until you approve them." : "";
        return report.Outcome switch
        {
            SyncOutcome.Succeeded => new($"Sync finished: {done}.{held}", false),
            SyncOutcome.PartiallySucceeded => new(
                $"Sync incomplete: {done}. Azure AD stopped answering before every user was read, so nobody was removed. The next sync reads again; press Sync now to retry.", true),
            SyncOutcome.AlreadyRunning => new("A sync for this account was already running, so this one did not start. Its result appears here when it ends.", false),
            SyncOutcome.Disabled => new("Sync is switched off: tick Enable Azure AD user synchronization on Preferences › Integration and press Save.", true),
            SyncOutcome.Cancelled => new("The sync was stopped because the application was shutting down. Nobody was removed; press Sync now to run it again.", true),
            _ => new("Sync Failed: " + Why(report.FailureKind), true),
        };
    }

    /// <summary>Why a run or a connectivity check failed, and the fix, by the kind of failure.</summary>
    public static string Why(string? failureKind) => failureKind switch
    {
        nameof(DirectoryErrorKind.InvalidCredentials) =>
            "Azure AD refused the Application ID or the key value. Enter them again under Preferences › Integration, press Check Connectivity, then save.",
        nameof(DirectoryErrorKind.ExpiredCredentials) =>
            "the key value (client secret) has expired. Create a new one on the app registration in Azure and enter it under Preferences › Integration.",
        nameof(DirectoryErrorKind.ApplicationNotFound) =>
            "Azure AD does not know this Application ID in your tenant. Copy it again from the app registration's Overview page, or link your account again.",
        nameof(DirectoryErrorKind.TenantNotFound) =>
            "Azure AD does not know this tenant. Check the tenant under Preferences › Integration, or link your account again.",
        nameof(DirectoryErrorKind.PermissionMissing) =>
            "the app may not read your users. In Azure, grant the application permission User.Read.All with admin consent, then press Sync now.",
        nameof(DirectoryErrorKind.InvalidQuery) =>
            "Microsoft Graph rejected the OData filter. Correct it under Preferences › Integration › Filters, press Check Connectivity, then save.",
        nameof(DirectoryErrorKind.Throttled) or nameof(DirectoryErrorKind.Unavailable) or nameof(DirectoryErrorKind.InvalidResponse) =>
            "Azure AD could not be reached or was too busy. Nobody was removed; press Sync now again in a few minutes.",
        nameof(DirectoryErrorKind.Configuration) or "InvalidProfile" or "UnknownTenant" =>
            "the connection to Azure AD is not set up completely. Link your Azure AD account, or enter your own app registration, under Preferences › Integration.",
        "LeaseLost" => "another copy of the application took over this account's sync. Nobody was removed twice; press Sync now if the dashboard does not update.",
        _ => "something unexpected stopped it and nobody was removed. Press Sync now to try again; if it fails again, your support contact finds the details in the application log.",
    };

    /// <summary>A connectivity check's details in words: failures say why and what to do; setting names are left out.</summary>
    public static string Details(ConnectivityCheck check) => check switch
    {
        { Status: ConnectivityStatus.Failed, ErrorKind: { } kind } when kind != DirectoryErrorKind.Unknown => Capitalize(Why(kind.ToString())),
        { Status: ConnectivityStatus.Failed } =>
            "Azure AD answered with an error this page does not know. Press Check Connectivity again; if it keeps failing, your support contact finds the details in the application log.",
        { Name: ConnectivityCheckNames.Token, Status: ConnectivityStatus.Passed } => "Signed in to Azure AD.",
        _ => SettingName().Replace(check.Message, ""),
    };

    /// <summary>What to do about a check, in words.</summary>
    public static string Fix(ConnectivityCheck check) => check switch
    {
        { MissingPermission: { } permission } => $"In Azure, grant {permission} (application permission) with admin consent.",
        { Name: ConnectivityCheckNames.Filter, Status: not ConnectivityStatus.Passed } => "Correct the OData filter below.",
        { Status: ConnectivityStatus.Failed } => "See the details.",
        _ => "",
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>" (Connection:AccessToken)" and the like: developer settings, not the admin's.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\s*\([A-Z][A-Za-z]+:[A-Za-z:]+\)")]
    private static partial System.Text.RegularExpressions.Regex SettingName();
}
