using EntraSync;

namespace Intranet.Ziik.Integration;

/// <summary>A message for the admin: what happened and what to do, never configuration keys or exception text.</summary>
/// <param name="Text">The words shown.</param>
/// <param name="IsError">Whether it is shown as an error.</param>
public sealed record AdminMessage(string Text, bool IsError);

/// <summary>
/// Turns a run's report into words for the administrator. The engine's own errors and warnings name configuration keys
/// meant for developers; they go to the log (<see cref="SyncRuns"/>), and the admin reads what to do here instead.
/// </summary>
public static class AdminMessages
{
    public static readonly AdminMessage Unexpected = new(
        "Synchronisation failed: something unexpected stopped it and nobody was deactivated. Press Initiate synchronisation to try again; if it fails again, your support contact finds the details in the application log.", true);

    public static AdminMessage Describe(SyncReport report)
    {
        var c = report.Counts;
        var done = $"{c.Created} created, {c.Linked} linked by email, {c.Updated} updated, {c.Reactivated} reactivated, {c.Deactivated} deactivated, {c.Unassigned} unassigned";
        var held = c.Staged > 0 ? $" {c.Staged} deactivations are held for your approval on Integrations › Azure User Sync: nobody was deactivated until you approve them." : "";
        return report.Outcome switch
        {
            SyncOutcome.Succeeded => new($"Synchronisation finished: {done}.{held}", false),
            SyncOutcome.PartiallySucceeded => new(
                $"Synchronisation incomplete: {done}. Azure AD stopped answering before every user was read, so nobody was deactivated. The next run reads again; press Initiate synchronisation to retry.", true),
            SyncOutcome.AlreadyRunning => new("A synchronisation was already running, so this one did not start. Its result appears here when it ends.", false),
            SyncOutcome.Disabled => new("The integration is not enabled: tick Enabled on Integrations › Azure User Sync and press Save.", true),
            SyncOutcome.Cancelled => new("The synchronisation was stopped because the application was shutting down. Nobody was deactivated; press Initiate synchronisation to run it again.", true),
            _ => new("Synchronisation failed: " + Why(report.FailureKind), true),
        };
    }

    /// <summary>Why a run failed, and the fix, by the kind of failure.</summary>
    public static string Why(string? failureKind) => failureKind switch
    {
        nameof(DirectoryErrorKind.InvalidCredentials) =>
            "Azure AD refused the Application ID or the Secret. Enter them again under Integrations › Azure User Sync, then press Save.",
        nameof(DirectoryErrorKind.ExpiredCredentials) =>
            "the Secret (client secret) has expired. Create a new one on the app registration in Azure and enter it under Integrations › Azure User Sync.",
        nameof(DirectoryErrorKind.ApplicationNotFound) =>
            "Azure AD does not know this Application ID in your tenant. Copy it again from the app registration's Overview page into Integrations › Azure User Sync.",
        nameof(DirectoryErrorKind.TenantNotFound) =>
            "Azure AD does not know this tenant. Copy the Directory (tenant) ID again from Azure into Tenant ID on Integrations › Azure User Sync.",
        nameof(DirectoryErrorKind.PermissionMissing) =>
            "the app may not read your users. In Azure, grant the application permission User.Read.All with admin consent, then press Initiate synchronisation.",
        nameof(DirectoryErrorKind.InvalidQuery) =>
            "Microsoft Graph rejected the filter. Correct it on Integrations › Azure User Sync and press Save.",
        nameof(DirectoryErrorKind.Throttled) or nameof(DirectoryErrorKind.Unavailable) or nameof(DirectoryErrorKind.InvalidResponse) =>
            "Azure AD could not be reached or was too busy. Nobody was deactivated; press Initiate synchronisation again in a few minutes.",
        nameof(DirectoryErrorKind.Configuration) or "InvalidProfile" or "UnknownTenant" =>
            "the connection to Azure AD is not set up completely. Fill in the Application ID, the Tenant ID and the Secret on Integrations › Azure User Sync, or clear all three to use the demo tenant.",
        "LeaseLost" => "another copy of the intranet took over this synchronisation. Press Initiate synchronisation if the users do not update.",
        _ => "something unexpected stopped it and nobody was deactivated. Press Initiate synchronisation to try again; if it fails again, your support contact finds the details in the application log.",
    };
}
