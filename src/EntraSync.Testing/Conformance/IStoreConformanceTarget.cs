namespace EntraSync.Testing.Conformance;

/// <summary>
/// The stores under test, as one conformance case sees them. Implement it for your store (over a fresh database or
/// the same one: every case uses tenants of its own) and run the cases of <see cref="EmployeeStoreConformance"/> and
/// <see cref="SyncStateStoreConformance"/> from your test framework.
/// </summary>
public interface IStoreConformanceTarget
{
    /// <summary>Gets the employee store under test.</summary>
    IEmployeeStore Employees { get; }

    /// <summary>Gets the sync state store under test.</summary>
    ISyncStateStore State { get; }

    /// <summary>Adds an employee the host created itself (not linked to the directory), as your product would.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="email">The email, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The employee's key, as the store reports it in <see cref="StoredEmployee.Key"/>.</returns>
    ValueTask<string> AddLocalEmployeeAsync(string tenantId, string? email, CancellationToken cancellationToken = default);
}
