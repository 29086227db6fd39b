using EntraSync.Matching.Internal;

namespace EntraSync.Matching.Internal;

/// <summary>Checks a profile's unit and user-type matching at start-up.</summary>
internal static class AssignmentMatchingValidator
{
    public static void Validate(SyncProfile profile, string prefix, ICollection<string> errors)
    {
        var matching = profile.Matching;
        var path = $"{prefix}Matching:";
        if (matching is null)
        {
            errors.Add($"{path.TrimEnd(':')} is missing. Leave it out to switch matching off.");
            return;
        }

        var fieldsValid = true;
        foreach (var (name, field) in new[] { (nameof(matching.UnitField), matching.UnitField), (nameof(matching.UserTypeField), matching.UserTypeField) })
        {
            if (!Enum.IsDefined(field))
            {
                errors.Add($"{path}{name} is {field}. Use one of {MatchingFields.Choices}, or None.");
                fieldsValid = false;
            }
        }

        if (!fieldsValid)
        {
            return;
        }

        if (matching.UnitField == MatchingField.None ^ matching.UserTypeField == MatchingField.None)
        {
            var (set, missing) = matching.UnitField == MatchingField.None
                ? (nameof(matching.UserTypeField), nameof(matching.UnitField))
                : (nameof(matching.UnitField), nameof(matching.UserTypeField));
            errors.Add($"{path}{missing} is not set while {path}{set} is. A user needs both a unit and a user type: set {missing} to one of {MatchingFields.Choices}, or set {set} to None to switch matching off.");
        }
        else if (matching.IsConfigured && matching.UnitField == matching.UserTypeField)
        {
            errors.Add($"{path}UserTypeField is {matching.UserTypeField}, the same field as {path}UnitField. One directory field cannot drive both units and user types: choose a different field for one of them ({MatchingFields.Choices}).");
        }

        ValidateNames(matching.Units, $"{path}Units", errors);
        ValidateNames(matching.UserTypes, $"{path}UserTypes", errors);
        ValidateAliases(matching.UnitAliases, $"{path}UnitAliases", "unit", errors);
        ValidateAliases(matching.UserTypeAliases, $"{path}UserTypeAliases", "user type", errors);
    }

    private static void ValidateNames(IList<string>? names, string path, ICollection<string> errors)
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(names![i]))
            {
                errors.Add($"{path}:{i} is empty. Remove it or write the name.");
            }
        }
    }

    private static void ValidateAliases(IDictionary<string, string>? aliases, string path, string what, ICollection<string> errors)
    {
        foreach (var (alias, target) in aliases ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(target))
            {
                errors.Add($"{path}:{alias} is empty. Write the {what} name the directory value \"{alias}\" stands for, or remove the alias.");
            }
        }
    }
}
