using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntraSync.Matching.Internal;

/// <summary>At start-up, checks that every tenant with matching configured has unit and user-type names to match against.</summary>
internal sealed class AssignmentCatalogOptionsValidator(IServiceProviderIsService services) : IValidateOptions<EntraSyncOptions>
{
    public ValidateOptionsResult Validate(string? name, EntraSyncOptions options)
    {
        if (services.IsService(typeof(IAssignmentCatalog)))
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        for (var t = 0; t < options.Tenants.Count; t++)
        {
            var matching = options.Tenants[t]?.Matching;
            if (matching is not { IsConfigured: true })
            {
                continue;
            }

            var path = $"EntraSync:Tenants:{t}:Matching";
            if (!(matching.Units ?? []).Any(n => !string.IsNullOrWhiteSpace(n)))
            {
                errors.Add(MatchingFields.NoNames(path, "unit", nameof(AssignmentMatchingOptions.Units)));
            }

            if (!(matching.UserTypes ?? []).Any(n => !string.IsNullOrWhiteSpace(n)))
            {
                errors.Add(MatchingFields.NoNames(path, "user-type", nameof(AssignmentMatchingOptions.UserTypes)));
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
