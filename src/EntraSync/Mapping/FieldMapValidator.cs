namespace EntraSync.Mapping;

/// <summary>Checks a profile's field map at start-up.</summary>
internal static class FieldMapValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < profile.Fields.Fields.Count; i++)
        {
            var field = profile.Fields.Fields[i];
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                errors.Add($"{prefix}Fields:Fields:{i}:Name is empty. Give every field a name, for example \"Job Title\".");
            }
            else if (!names.Add(field.Name))
            {
                errors.Add($"{prefix}Fields:Fields:{i}:Name \"{field.Name}\" appears twice. Each field name must be unique.");
            }

            if (string.IsNullOrWhiteSpace(field.Source))
            {
                errors.Add($"{prefix}Fields:Fields:{i}:Source is empty for field \"{field.Name}\". Set a Graph user property such as \"jobTitle\".");
            }
        }
    }
}
