namespace EntraSync;

/// <summary>
/// Thrown by a store when a write carries a lease generation that is not the tenant's current run lease: another
/// run took the lease over (this run's lease expired), or the lease was released. Nothing of the write was stored.
/// </summary>
public sealed class StaleLeaseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StaleLeaseException"/> class.</summary>
    public StaleLeaseException()
        : base("The write carried a run lease that is no longer the tenant's current lease; nothing was written.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleLeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StaleLeaseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleLeaseException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StaleLeaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StaleLeaseException"/> class for a refused write.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="generation">The generation the write carried.</param>
    /// <param name="what">What was refused, in words (for example "a batch of 50 employee changes").</param>
    public StaleLeaseException(string tenantId, long generation, string what)
        : base($"The store refused {what} for tenant '{tenantId}': the run's lease (generation {generation}) is no longer the tenant's current run lease (another run took it over, or it was released). Nothing of it was written.")
    {
        TenantId = tenantId;
        Generation = generation;
    }

    /// <summary>Gets the tenant, or <see langword="null"/>.</summary>
    public string? TenantId { get; }

    /// <summary>Gets the lease generation the refused write carried.</summary>
    public long Generation { get; }
}
