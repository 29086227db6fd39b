namespace EntraSync.Testing.Conformance;

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
