namespace EntraSync;

/// <summary>
/// A tenant's run lease as the <see cref="ISyncStateStore"/> granted it: who holds it, its generation (the fencing
/// token every write of the run carries) and until when it holds without renewal.
/// </summary>
public sealed class RunLease
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the run holding the lease.</summary>
    public required string Owner { get; init; }

    /// <summary>
    /// Gets the lease's generation: a number the store increases every time the tenant's lease passes to a new holder
    /// (or is released), never reused. Writes carry it; a store refuses a write whose generation is not the tenant's
    /// current lease (<see cref="StaleLeaseException"/>).
    /// </summary>
    public required long Generation { get; init; }

    /// <summary>Gets when the lease expires unless it is renewed, by the store's clock (for a database, the database's clock).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId} lease {Generation} held by {Owner} until {ExpiresAt:u}";
}

/// <summary>The answer to <see cref="ISyncStateStore.TryAcquireLeaseAsync"/>: the lease, or who holds it and for how long.</summary>
public sealed class RunLeaseAttempt
{
    /// <summary>Gets the lease when it was acquired, or <see langword="null"/> when another run holds it.</summary>
    public RunLease? Lease { get; init; }

    /// <summary>Gets a value indicating whether the lease was acquired.</summary>
    public bool IsAcquired => Lease is not null;

    /// <summary>Gets the run holding the lease when it was not acquired, or <see langword="null"/>.</summary>
    public string? HeldBy { get; init; }

    /// <summary>
    /// Gets how long, by the store's clock, until the holder's lease expires unless the holder renews it; <see langword="null"/>
    /// when the lease was acquired. A crashed holder stops renewing, so this is the longest wait after a crash.
    /// </summary>
    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>Creates the answer for an acquired lease.</summary>
    /// <param name="lease">The lease.</param>
    /// <returns>The answer.</returns>
    public static RunLeaseAttempt Acquired(RunLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new RunLeaseAttempt { Lease = lease };
    }

    /// <summary>Creates the answer for a lease another run holds.</summary>
    /// <param name="heldBy">The run holding it.</param>
    /// <param name="expiresIn">How long until its lease expires unless renewed (negative values become zero).</param>
    /// <returns>The answer.</returns>
    public static RunLeaseAttempt Held(string heldBy, TimeSpan expiresIn) =>
        new() { HeldBy = heldBy, ExpiresIn = expiresIn < TimeSpan.Zero ? TimeSpan.Zero : expiresIn };
}

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
