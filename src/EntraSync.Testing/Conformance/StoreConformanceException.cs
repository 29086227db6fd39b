namespace EntraSync.Testing.Conformance;

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
