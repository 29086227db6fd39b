using EntraSync.Graph.Internal;
using EntraSync.Mapping.Internal;

namespace EntraSync.Mapping;

/// <summary>
/// The default <see cref="IFieldMapper"/>: fills each field of the profile's <see cref="FieldMapOptions"/> from its
/// source (a Graph property, a nested or extension property, group memberships, the resolved email, the photo, or a
/// constant), joins or picks from multi-valued properties, applies the field's transform, and falls back to the
/// field's default when the value is empty.
/// </summary>
public sealed class FieldMapper : IFieldMapper
{
    private readonly Dictionary<string, IFieldTransform> _transforms;

    /// <summary>Initializes a new instance of the <see cref="FieldMapper"/> class with the built-in transforms only.</summary>
    public FieldMapper()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FieldMapper"/> class.</summary>
    /// <param name="transforms">The host's transforms, which fields name in <see cref="FieldMapping.Transform"/>.</param>
    public FieldMapper(IEnumerable<IFieldTransform> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        _transforms = FieldTransforms.Index(transforms);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var properties = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in context.Profile.Fields.Fields ?? [])
        {
            if (field is not null && field.Constant is null && !string.IsNullOrWhiteSpace(field.Source) && !IsComputed(field.Source))
            {
                properties.Add(GraphUserProperties.TopLevel(field.Source.Trim()));
            }
        }

        return properties;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string?> Map(DirectoryUser user, string? email, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(context);
        var map = context.Profile.Fields.Fields ?? [];
        var schema = FieldSchema.For(map);
        var fields = new string?[schema.Names.Length];
        for (var i = 0; i < map.Count; i++)
        {
            var field = map[i];
            if (field is null)
            {
                continue;
            }

            var value = Clean(field.Constant ?? Read(user, email, field));
            if (!string.IsNullOrWhiteSpace(field.Transform))
            {
                if (!_transforms.TryGetValue(field.Transform.Trim(), out var transform))
                {
                    throw new FormatException(FieldTransforms.NotRegistered(field.Name, field.Transform, $"Fields:Fields:{i}:Transform"));
                }

                value = Clean(transform.Transform(value, new FieldTransformContext { Field = field, User = user, Sync = context }));
            }

            fields[schema.SlotOfEntry[i]] = value ?? Clean(field.Default);
        }

        return new FieldValues(schema, fields);
    }

    private static string? Read(DirectoryUser user, string? email, FieldMapping field)
    {
        var source = field.Source?.Trim() ?? "";
        if (source.Equals(FieldMapping.EmailSource, StringComparison.OrdinalIgnoreCase))
        {
            return email;
        }

        if (source.Equals(FieldMapping.PhotoSource, StringComparison.OrdinalIgnoreCase))
        {
            return user.Photo?.ETag;
        }

        if (source.Length == 0 || !user.TryGetValue(source, out var value))
        {
            return null;
        }

        if (value.Kind != DirectoryValueKind.List)
        {
            return value.AsString();
        }

        var items = value.AsList();
        if (field.MultiValue == MultiValueMode.Join)
        {
            return string.Join(field.Separator ?? "", items.Select(Clean).OfType<string>());
        }

        foreach (var item in items)
        {
            if (Clean(item) is { } first)
            {
                return first;
            }
        }

        return null;
    }

    private static bool IsComputed(string source) =>
        source.Trim().Equals(FieldMapping.EmailSource, StringComparison.OrdinalIgnoreCase)
        || source.Trim().Equals(FieldMapping.PhotoSource, StringComparison.OrdinalIgnoreCase);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
