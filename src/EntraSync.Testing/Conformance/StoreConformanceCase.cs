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

/// <summary>One named behaviour every store must have. Runs with any test framework; a failure throws <see cref="StoreConformanceException"/>.</summary>
public sealed class StoreConformanceCase
{
    /// <summary>Gets the behaviour, in a sentence (unique within its suite).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the check: it throws <see cref="StoreConformanceException"/> saying what differed.</summary>
    public required Func<IStoreConformanceTarget, CancellationToken, Task> RunAsync { get; init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Thrown by a conformance case when the store does not behave as the contract says.</summary>
public sealed class StoreConformanceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StoreConformanceException"/> class.</summary>
    public StoreConformanceException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StoreConformanceException"/> class.</summary>
    /// <param name="message">What the store did differently from the contract.</param>
    public StoreConformanceException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StoreConformanceException"/> class.</summary>
    /// <param name="message">What the store did differently from the contract.</param>
    /// <param name="innerException">The cause.</param>
    public StoreConformanceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
