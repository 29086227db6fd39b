namespace EntraSync.Cli;

/// <summary>
/// What the tool reads from and writes to outside itself: standard output and error, whether a person is watching,
/// environment variables and the current folder. Tests pass their own to run commands in-process.
/// </summary>
internal sealed class CliConsole
{
    /// <summary>Gets where results go (the summary, or the JSON document).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Gets where errors, hints, warnings and progress go.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Gets a value indicating whether standard error is a terminal, so a live progress line can be drawn on it.</summary>
    public bool IsInteractive { get; init; }

    /// <summary>Gets the terminal width for tables, or <see langword="null"/> when output is not a terminal.</summary>
    public int? Width { get; init; }

    /// <summary>Gets the environment variables the tool reads (<c>ENTRASYNC_*</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = _ => null;

    /// <summary>Gets the folder relative paths (and the default <c>entrasync.db</c>) are resolved against.</summary>
    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Gets the name recorded as who approved or rejected staged removals when <c>--by</c> is not given.</summary>
    public string UserName { get; init; } = Environment.UserName;

    /// <summary>Creates the console of the running process.</summary>
    public static CliConsole CreateSystem()
    {
        var interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        int? width = null;
        if (!Console.IsOutputRedirected)
        {
            try
            {
                width = Console.WindowWidth > 0 ? Console.WindowWidth : null;
            }
            catch (IOException)
            {
                width = null;
            }
        }

        return new CliConsole
        {
            Out = Console.Out,
            Error = Console.Error,
            IsInteractive = interactive,
            Width = width,
            GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        };
    }
}
