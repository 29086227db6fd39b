namespace EntraSync.Cli.Demo;

/// <summary>The demo's default profile settings, used when no config file is given.</summary>
internal static class DemoProfile
{
    /// <summary>
    /// Switches on the "people only" preset, as the product articles recommend ("exclude service accounts, shared
    /// mailboxes and meeting rooms"), so the demo shows guests, disabled accounts, rooms and shared mailboxes being
    /// left out with their reasons.
    /// </summary>
    public static void ApplyDefaults(SyncProfile profile) => profile.Filter.PeopleOnly.Enabled = true;
}
