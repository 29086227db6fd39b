namespace EntraSync.Cli.Directory;

/// <summary>The demo's default profile settings, used when no config file is given.</summary>
internal static class DemoProfile
{
    public static void ApplyDefaults(SyncProfile profile)
    {
        // Placeholder until the filters land on main: see the report to the lead.
        _ = profile;
    }
}
