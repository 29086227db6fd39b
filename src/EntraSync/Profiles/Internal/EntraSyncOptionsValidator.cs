using EntraSync.Mapping;
using EntraSync.Mapping.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntraSync.Profiles.Internal;

/// <summary>Validates <see cref="EntraSyncOptions"/> and the registrations sync needs, at start-up.</summary>
internal sealed class EntraSyncOptionsValidator(IServiceProviderIsService services, IEnumerable<IFieldTransform> transforms) : IValidateOptions<EntraSyncOptions>
{
    internal const string Section = "EntraSync";

    internal static readonly TimeSpan MinimumRunLease = TimeSpan.FromSeconds(2);

    internal static readonly TimeSpan MaximumRunLease = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, EntraSyncOptions options)
    {
        var errors = new List<string>();
        if (!services.IsService(typeof(IEmployeeStore)))
        {
            errors.Add("No employee store is registered. Call .AddEmployeeStore<TStore>() on the builder AddEntraUserSync returns (or .AddEntityFrameworkCoreStore<TContext>(), or .AddInMemoryStores() from EntraSync.Testing for tests).");
        }

        if (!services.IsService(typeof(ISyncStateStore)))
        {
            errors.Add("No sync state store is registered. Call .AddSyncStateStore<TStore>() on the builder AddEntraUserSync returns (or .AddEntityFrameworkCoreStore<TContext>(), or .AddInMemoryStores() for tests).");
        }

        if (!services.IsService(typeof(IDirectorySource)))
        {
            errors.Add("No directory source is registered. Call .AddDirectorySource<TSource>() on the builder AddEntraUserSync returns.");
        }

        if (options.RunLeaseDuration < MinimumRunLease || options.RunLeaseDuration > MaximumRunLease)
        {
            errors.Add($"{Section}:RunLeaseDuration is {options.RunLeaseDuration}. Use 00:00:02 to 01:00:00 (the default is 00:02:00): runs renew the lease every third of it, and a crashed run blocks its tenant for at most this long.");
        }

        if (options.WriteBatchSize is < 1 or > 100_000)
        {
            errors.Add($"{Section}:WriteBatchSize is {options.WriteBatchSize}. Use 1 to 100000.");
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Tenants.Count; i++)
        {
            var profile = options.Tenants[i];
            var path = $"{Section}:Tenants:{i}:";
            errors.AddRange(SyncProfileValidator.Validate(profile, path));
            ValidateRegistrations(profile, path, errors);
            if (!string.IsNullOrWhiteSpace(profile.TenantId) && !ids.Add(profile.TenantId))
            {
                errors.Add($"{Section}:Tenants:{i}:TenantId \"{profile.TenantId}\" appears twice. Each tenant needs one profile.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>What a profile names that only the service registrations can supply: transforms and unit names.</summary>
    private void ValidateRegistrations(SyncProfile profile, string path, List<string> errors)
    {
        var known = FieldTransforms.Index(transforms);
        for (var f = 0; f < profile.Fields.Fields.Count; f++)
        {
            var field = profile.Fields.Fields[f];
            if (field is not null && !string.IsNullOrWhiteSpace(field.Transform) && !known.ContainsKey(field.Transform.Trim()))
            {
                errors.Add(FieldTransforms.NotRegistered(field.Name, field.Transform, $"{path}Fields:Fields:{f}:Transform") + ".");
            }
        }

        var matching = profile.Matching;
        if (matching.UnitField != MatchingField.None && matching.Units.Count == 0 && matching.UserTypes.Count == 0
            && !services.IsService(typeof(IAssignmentCatalog)))
        {
            errors.Add($"{path}Matching matches units and user types, but there are no unit or user-type names to match against. " +
                "Register your catalog with .AddAssignmentCatalog<TCatalog>() on the builder AddEntraUserSync returns, or list the names in Matching:Units and Matching:UserTypes.");
        }
    }
}
