namespace EntraSync.Cli.Demo;

/// <summary>The demo's default profile settings, used when no config file is given.</summary>
internal static class DemoProfile
{
    /// <summary>
    /// Switches on the "people only" preset, as the product articles recommend ("exclude service accounts, shared
    /// mailboxes and meeting rooms"), and matches units from the city and user types from the job title, so the demo
    /// shows out-of-scope reasons, units, user types, and directory values that match nothing (two of the demo
    /// tenant's cities and a few job titles are deliberately not in the lists).
    /// </summary>
    public static void ApplyDefaults(SyncProfile profile)
    {
        profile.Filter.PeopleOnly.Enabled = true;
        profile.Matching.UnitField = MatchingField.City;
        profile.Matching.Units = ["København", "Aarhus", "Odense", "Oslo", "London", "Redmond", "München", "Paris"];
        profile.Matching.UserTypeField = MatchingField.JobTitle;
        profile.Matching.UserTypes =
        [
            "Manager", "Sales Manager", "Retail Manager", "Director", "Consultant", "Trainer", "Developer", "Mentor", "Support Engineer",
            "Account Executive", "Accountant", "Controller", "Product Manager", "Marketing Specialist", "IT Administrator", "HR Partner",
        ];
    }
}
