namespace EntraSync.Testing.Conformance.Internal;

/// <summary>The few checks the conformance cases need, with messages that say what the store did.</summary>
internal static class Expect
{
    public static void True(bool condition, string message)
    {
        if (!condition)
        {
            throw new StoreConformanceException(message);
        }
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new StoreConformanceException($"{what}: expected '{expected}', got '{actual}'.");
        }
    }

    public static T Single<T>(IEnumerable<T> items, Func<T, bool> match, string what)
    {
        var found = items.Where(match).ToList();
        return found.Count == 1 ? found[0] : throw new StoreConformanceException($"{what}: expected exactly one, got {found.Count}.");
    }

    public static async Task<TException> ThrowsAsync<TException>(Func<Task> action, string what)
        where TException : Exception
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (TException ex)
        {
            return ex;
        }
        catch (Exception ex)
        {
            throw new StoreConformanceException($"{what}: expected {typeof(TException).Name}, got {ex.GetType().Name}: {ex.Message}", ex);
        }

        throw new StoreConformanceException($"{what}: expected {typeof(TException).Name}, but nothing was thrown.");
    }

    public static string NewTenant() => "conformance-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The run lease the cases write under (one owner, so taking it again returns the same generation).</summary>
    public static async Task<long> HoldLeaseAsync(ISyncStateStore state, string tenantId) =>
        (await AcquireAsync(state, tenantId, "conformance-run", TimeSpan.FromMinutes(10), CancellationToken.None).ConfigureAwait(false)).Generation;

    public static async Task<RunLease> AcquireAsync(ISyncStateStore state, string tenantId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var attempt = await state.TryAcquireLeaseAsync(tenantId, owner, duration, cancellationToken).ConfigureAwait(false);
        if (attempt.Lease is not { } lease)
        {
            throw new StoreConformanceException($"TryAcquireLeaseAsync for {owner} was refused (held by {attempt.HeldBy}), where the lease was free.");
        }

        Equal(tenantId, lease.TenantId, "TenantId of the acquired lease");
        Equal(owner, lease.Owner, "Owner of the acquired lease");
        return lease;
    }
}
