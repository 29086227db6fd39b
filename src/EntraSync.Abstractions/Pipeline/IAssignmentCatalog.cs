namespace EntraSync;

/// <summary>The host product's units and user types, which the default matcher matches directory values against.</summary>
public interface IAssignmentCatalog
{
    /// <summary>Gets the unit names of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The unit names.</returns>
    ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Gets the user type names of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The user type names.</returns>
    ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken cancellationToken = default);
}
