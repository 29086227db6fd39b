namespace EntraSync;

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
