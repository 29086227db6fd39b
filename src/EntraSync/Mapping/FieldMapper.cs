namespace EntraSync.Mapping;

/// <summary>The default <see cref="IFieldMapper"/>: fills each field of the profile's <see cref="FieldMapOptions"/> from its source.</summary>
public sealed class FieldMapper : IFieldMapper
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in context.Profile.Fields.Fields)
        {
            if (!IsSpecial(field.Source))
            {
                properties.Add(field.Source.Split('/')[0]);
            }
        }

        return properties;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string?> Map(DirectoryUser user, string? email, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(context);
        var fields = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in context.Profile.Fields.Fields)
        {
            var value = field.Source.ToUpperInvariant() switch
            {
                "EMAIL" => email,
                "PHOTO" => user.Photo?.ETag,
                _ => user.GetString(field.Source),
            };
            fields[field.Name] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        return fields;
    }

    private static bool IsSpecial(string source) =>
        source.Equals("email", StringComparison.OrdinalIgnoreCase) || source.Equals("photo", StringComparison.OrdinalIgnoreCase);
}
