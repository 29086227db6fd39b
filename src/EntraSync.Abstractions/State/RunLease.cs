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
