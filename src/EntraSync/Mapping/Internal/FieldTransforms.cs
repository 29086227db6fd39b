namespace EntraSync.Mapping.Internal;

/// <summary>A transform registered as a delegate.</summary>
internal sealed class DelegateFieldTransform(string name, Func<string?, FieldTransformContext, string?> transform) : IFieldTransform
{
    public string Name { get; } = name;

    public string? Transform(string? value, FieldTransformContext context) => transform(value, context);
}

/// <summary>The transforms every mapper knows, and the lookup that lets the host's registrations win.</summary>
internal static class FieldTransforms
{
    public static readonly IReadOnlyList<IFieldTransform> BuiltIn =
    [
        new DelegateFieldTransform("upper", (value, _) => value?.ToUpperInvariant()),
        new DelegateFieldTransform("lower", (value, _) => value?.ToLowerInvariant()),
    ];

    public static Dictionary<string, IFieldTransform> Index(IEnumerable<IFieldTransform> registered)
    {
        var index = new Dictionary<string, IFieldTransform>(StringComparer.OrdinalIgnoreCase);
        foreach (var transform in BuiltIn.Concat(registered))
        {
            index[transform.Name] = transform;
        }

        return index;
    }

    public static string NotRegistered(string field, string transform, string path) =>
        $"{path} names transform \"{transform}\" for field \"{field}\", which is not registered. Use \"upper\" or \"lower\", " +
        $"register it in code with .AddFieldTransform(\"{transform}\", (value, context) => ...) on the builder AddEntraUserSync returns, or clear the Transform";
}
