using EntraSync.Email;

namespace EntraSync.Sync.Internal;

/// <summary>The per-user rules a sync run and a preview share, so both judge a user the same way.</summary>
internal static class Pipeline
{
    /// <summary>The properties a read must select: what email resolution, mapper, filter and matcher read, plus id and display name.</summary>
    public static IReadOnlyCollection<string> RequiredProperties(SyncContext context, IFieldMapper mapper, IUserFilter filter, IAssignmentMatcher matcher)
    {
        var properties = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "id", "displayName" };
        properties.UnionWith(EmailResolver.GetRequiredProperties(context.Profile.Email));
        properties.UnionWith(mapper.GetRequiredProperties(context));
        properties.UnionWith(filter.GetRequiredProperties(context));
        properties.UnionWith(matcher.GetRequiredProperties(context));
        return properties;
    }

    /// <summary>The first mandatory field the user lacks, as a skip reason and words for the report.</summary>
    public static (SkipReason? Skip, string? Reason) CheckMandatory(SyncProfile profile, string? email, IReadOnlyDictionary<string, string?> fields)
    {
        foreach (var mandatory in profile.MandatoryFields)
        {
            if (string.Equals(mandatory, FieldNames.Email, StringComparison.OrdinalIgnoreCase))
            {
                if (string.IsNullOrWhiteSpace(email))
                {
                    return (SkipReason.MissingEmail, "missing email: no mail, proxy address or other mail" + (profile.Email.UseUserPrincipalName ? " or usable user principal name" : ""));
                }
            }
            else if (string.IsNullOrWhiteSpace(fields.GetValueOrDefault(mandatory)))
            {
                return (SkipReason.MissingMandatoryField, $"missing {mandatory.ToLowerInvariant()}");
            }
        }

        return (null, null);
    }
}
