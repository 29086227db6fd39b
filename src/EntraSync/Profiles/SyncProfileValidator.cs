using EntraSync.Filtering;
using EntraSync.Filtering.Internal;
using EntraSync.Mapping;
using EntraSync.Mapping.Internal;
using EntraSync.Matching;
using EntraSync.Matching.Internal;

namespace EntraSync.Profiles;

/// <summary>Checks a profile and says, for each problem, which option is wrong and how to fix it.</summary>
public static class SyncProfileValidator
{
    /// <summary>Validates a profile.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="path">The configuration path the option names start with, for example <c>EntraSync:Tenants:0:</c>.</param>
    /// <returns>The problems; empty when the profile is valid.</returns>
    public static IReadOnlyList<string> Validate(SyncProfile profile, string path = "")
    {
        ArgumentNullException.ThrowIfNull(profile);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(profile.TenantId))
        {
            errors.Add($"{path}TenantId is empty. Set it to the key your product uses for the customer's directory (usually the Entra tenant id).");
        }

        var removal = profile.Removal;
        if (removal.RetentionPeriod < TimeSpan.Zero)
        {
            errors.Add($"{path}Removal:RetentionPeriod is negative ({removal.RetentionPeriod}). Use a period such as \"90.00:00:00\" (90 days), or 0 to purge at the next run.");
        }

        if (removal.MaxRemovalsPerRun < 0)
        {
            errors.Add($"{path}Removal:MaxRemovalsPerRun is {removal.MaxRemovalsPerRun}. Use 0 or more (0 stages every removal for approval).");
        }

        if (removal.MaxRemovalPercentPerRun is < 0 or > 100 || double.IsNaN(removal.MaxRemovalPercentPerRun))
        {
            errors.Add($"{path}Removal:MaxRemovalPercentPerRun is {removal.MaxRemovalPercentPerRun}. Use a percentage from 0 to 100.");
        }

        if (removal.PercentageGuardMinimum < 0)
        {
            errors.Add($"{path}Removal:PercentageGuardMinimum is {removal.PercentageGuardMinimum}. Use 0 or more.");
        }

        if (removal.StagedRemovalsLifetime < TimeSpan.FromMinutes(1) || removal.StagedRemovalsLifetime > TimeSpan.FromDays(365))
        {
            errors.Add($"{path}Removal:StagedRemovalsLifetime is {removal.StagedRemovalsLifetime}. Use a period from 1 minute to 365 days, such as \"7.00:00:00\" (7 days): how long staged removals can be approved.");
        }

        if (!Enum.IsDefined(removal.Mode))
        {
            errors.Add($"{path}Removal:Mode is {removal.Mode}. Use SoftDelete, Delete or Keep.");
        }

        if (profile.MaxUserOutcomesInReport < 0)
        {
            errors.Add($"{path}MaxUserOutcomesInReport is {profile.MaxUserOutcomesInReport}. Use 0 or more.");
        }

        if (profile.RunHistoryLength < 1)
        {
            errors.Add($"{path}RunHistoryLength is {profile.RunHistoryLength}. Keep at least 1 run.");
        }

        if (profile.Schedule.Interval < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{path}Schedule:Interval is {profile.Schedule.Interval}. Use at least 1 minute, for example \"02:00:00\" for every 2 hours.");
        }

        if (profile.Schedule.FullSyncInterval < TimeSpan.Zero)
        {
            errors.Add($"{path}Schedule:FullSyncInterval is negative. Use a period such as \"1.00:00:00\" (daily), or 0 for no scheduled full reads.");
        }

        if (profile.Photos.MaxConcurrentRequests is < 1 or > 16)
        {
            errors.Add($"{path}Photos:MaxConcurrentRequests is {profile.Photos.MaxConcurrentRequests}. Use 1 to 16 (Exchange allows 4 per mailbox).");
        }

        var fieldNames = new HashSet<string>(profile.Fields.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var mandatory in profile.MandatoryFields)
        {
            if (!string.Equals(mandatory, FieldNames.Email, StringComparison.OrdinalIgnoreCase) && !fieldNames.Contains(mandatory))
            {
                errors.Add($"{path}MandatoryFields names \"{mandatory}\", which is not in the field map. Add a field with that name to Fields:Fields or remove it from MandatoryFields.");
            }
        }

        FieldMapValidator.Validate(profile, path, errors);
        UserFilterValidator.Validate(profile, path, errors);
        AssignmentMatchingValidator.Validate(profile, path, errors);
        return errors;
    }
}
