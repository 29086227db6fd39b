namespace EntraSync.Cli;

/// <summary>An error the tool reports as one line plus a hint, ending with <see cref="ExitCode"/>.</summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this("The command failed.", hint: null, ExitCodes.Failure)
    {
    }

    public CliException(string message)
        : this(message, hint: null, ExitCodes.Failure)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    public CliException(string message, string? hint, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
        ExitCode = exitCode;
    }

    /// <summary>Gets what to do about it, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>Gets the process exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Creates a bad-usage error (exit code 2): the command line or config file must change.</summary>
    public static CliException Usage(string message, string? hint = null, Exception? innerException = null) =>
        new(message, hint, ExitCodes.Usage, innerException);

    /// <summary>Creates a failure (exit code 1).</summary>
    public static CliException Failure(string message, string? hint = null, Exception? innerException = null) =>
        new(message, hint, ExitCodes.Failure, innerException);
}
