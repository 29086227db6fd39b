using Microsoft.Extensions.Options;

namespace EntraSync.Mapping.Internal;

/// <summary>At start-up, checks that every transform a configured field names is built in or registered.</summary>
internal sealed class FieldTransformOptionsValidator(IEnumerable<IFieldTransform> transforms) : IValidateOptions<EntraSyncOptions>
{
    private readonly Dictionary<string, IFieldTransform> _known = FieldTransforms.Index(transforms);

    public ValidateOptionsResult Validate(string? name, EntraSyncOptions options)
    {
        var errors = new List<string>();
        for (var t = 0; t < options.Tenants.Count; t++)
        {
            var map = options.Tenants[t]?.Fields;
            if (map?.Fields is null)
            {
                continue;
            }

            var effective = new HashSet<FieldMapping>(map.GetEffectiveFields(), ReferenceEqualityComparer.Instance);
            for (var i = 0; i < map.Fields.Count; i++)
            {
                var field = map.Fields[i];
                if (field is not null && effective.Contains(field) && !string.IsNullOrWhiteSpace(field.Transform) && !_known.ContainsKey(field.Transform.Trim()))
                {
                    errors.Add(FieldTransforms.NotRegistered(field.Name, field.Transform, $"EntraSync:Tenants:{t}:Fields:Fields:{map.GetConfigurationIndex(i)}:Transform"));
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
