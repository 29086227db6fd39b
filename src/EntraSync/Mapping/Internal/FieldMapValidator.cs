using EntraSync.Graph.Internal;

namespace EntraSync.Mapping.Internal;

/// <summary>Checks a profile's field map at start-up.</summary>
internal static class FieldMapValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        var map = profile.Fields;
        if (map?.Fields is null)
        {
            errors.Add($"{prefix}Fields:Fields is missing. Leave it out to use the default fields, or list the fields to map.");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < map.Fields.Count; i++)
        {
            var field = map.Fields[i];
            var path = $"{prefix}Fields:Fields:{i}:";
            if (field is null)
            {
                errors.Add($"{path.TrimEnd(':')} is empty. Remove it or give it a Name and a Source.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(field.Name))
            {
                errors.Add($"{path}Name is empty. Give every field a name, for example \"Job Title\".");
            }
            else if (!names.Add(field.Name))
            {
                errors.Add($"{path}Name \"{field.Name}\" appears twice. Each field name must be unique.");
            }

            ValidateSource(field, path, errors);
            if (!Enum.IsDefined(field.MultiValue))
            {
                errors.Add($"{path}MultiValue is {field.MultiValue}. Use First or Join.");
            }
        }
    }

    private static void ValidateSource(FieldMapping field, string path, ICollection<string> errors)
    {
        var hasSource = !string.IsNullOrWhiteSpace(field.Source);
        if (field.Constant is not null)
        {
            if (hasSource)
            {
                errors.Add($"{path}Source is \"{field.Source}\" and Constant is set for field \"{field.Name}\". Set one of them: Source to read the directory, Constant for a fixed value.");
            }

            return;
        }

        if (!hasSource)
        {
            errors.Add($"{path}Source is empty for field \"{field.Name}\". Set a Graph user property such as \"jobTitle\", or Constant for a fixed value.");
            return;
        }

        var source = field.Source.Trim();
        if (source.Equals(FieldMapping.EmailSource, StringComparison.OrdinalIgnoreCase) || source.Equals(FieldMapping.PhotoSource, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (GraphUserProperties.Check(source) is { } problem)
        {
            errors.Add(GraphUserProperties.Sentence($"{path}Source {problem}"));
        }
    }
}
