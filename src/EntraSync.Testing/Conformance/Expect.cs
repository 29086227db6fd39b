namespace EntraSync.Testing.Conformance;

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
}
