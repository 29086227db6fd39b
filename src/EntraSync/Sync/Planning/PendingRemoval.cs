namespace EntraSync.Sync.Planning;

/// <summary>A linked employee sync intends to remove, and why.</summary>
/// <param name="Employee">The stored employee.</param>
/// <param name="Cause">Why it is to be removed.</param>
/// <param name="ScopeReason">For a scope exit, the filter's or the source's words.</param>
internal sealed record PendingRemoval(StoredEmployee Employee, RemovalCause Cause, string? ScopeReason = null);
