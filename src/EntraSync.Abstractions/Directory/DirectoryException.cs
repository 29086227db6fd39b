namespace EntraSync;

/// <summary>
/// The directory could not be read. The message says, in words a customer's IT admin can act on, what is wrong and
/// how to fix it; <see cref="Kind"/> tells code what kind of failure it was.
/// </summary>
public sealed class DirectoryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DirectoryException"/> class.</summary>
    public DirectoryException()
        : this("The directory could not be read.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DirectoryException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DirectoryException(string message)
        : this(message, DirectoryErrorKind.Unknown)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DirectoryException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error.</param>
    public DirectoryException(string message, Exception? innerException)
        : this(message, DirectoryErrorKind.Unknown, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DirectoryException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="innerException">The underlying error.</param>
    public DirectoryException(string message, DirectoryErrorKind kind, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>Gets the kind of failure.</summary>
    public DirectoryErrorKind Kind { get; }

    /// <summary>Gets the permission the app lacks, for <see cref="DirectoryErrorKind.PermissionMissing"/>; otherwise <see langword="null"/>.</summary>
    public string? MissingPermission { get; init; }

    /// <summary>Gets the directory's own error code (for Graph, <c>error.code</c>), or <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed (throttling, outages, cut-off responses).</summary>
    public bool IsTransient => Kind is DirectoryErrorKind.Throttled or DirectoryErrorKind.Unavailable or DirectoryErrorKind.InvalidResponse;
}
