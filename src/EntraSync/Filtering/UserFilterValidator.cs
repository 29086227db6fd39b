namespace EntraSync.Filtering;

/// <summary>Checks a profile's filters at start-up.</summary>
internal static class UserFilterValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        _ = profile;
        _ = prefix;
        _ = errors;
    }
}
