namespace EntraSync.Cli.Commands;

/// <summary>What to do next, by kind of failure.</summary>
internal static class Hints
{
    public static string ForDirectory(DirectoryErrorKind kind) => kind switch
    {
        DirectoryErrorKind.InvalidCredentials => "Check the client secret or certificate (--client-secret, --certificate, or ENTRASYNC_CLIENT_SECRET); then run 'entrasync check'.",
        DirectoryErrorKind.ExpiredCredentials => "Create a new client secret or certificate on the app registration, then run 'entrasync check'.",
        DirectoryErrorKind.ApplicationNotFound => "Check --client-id, and that an admin consented to the app in this tenant; then run 'entrasync check'.",
        DirectoryErrorKind.TenantNotFound => "Check --tenant-id (the tenant's GUID or its onmicrosoft.com domain).",
        DirectoryErrorKind.PermissionMissing => "Grant the application permission named above on the app registration and give admin consent; then run 'entrasync check'.",
        DirectoryErrorKind.InvalidQuery => "Fix the profile's Scope:ODataFilter or group ids; 'entrasync check' tests them.",
        DirectoryErrorKind.NotFound => "Check the group ids in the profile's Scope settings.",
        DirectoryErrorKind.Throttled or DirectoryErrorKind.Unavailable or DirectoryErrorKind.InvalidResponse => "This is usually temporary: run the command again in a few minutes.",
        DirectoryErrorKind.Configuration => "Fix the connection setting named above (command line, ENTRASYNC_* variable, or the config file's Connection section).",
        _ => "Run 'entrasync check' to test the connection and permissions.",
    };

    public static string ForFailureKind(string? kind) =>
        Enum.TryParse<DirectoryErrorKind>(kind, out var directory) ? ForDirectory(directory) : kind switch
        {
            "IncompleteRead" => "Nobody was removed. Run 'entrasync sync' again; 'entrasync check' tests the connection.",
            "InvalidProfile" => "Fix the profile setting named above in the --config file.",
            "LeaseHeld" => "Another 'entrasync sync' (or a host) is syncing this tenant. If its process was killed, its lease runs out by itself: run the command again after the wait named above.",
            "LeaseLost" => "Another run took this tenant over while this one could not renew its lease, so this one stopped writing. Run 'entrasync runs' to see what the other run did.",
            _ => "Run 'entrasync check' to test the connection, or run again with --verbose for details.",
        };
}
