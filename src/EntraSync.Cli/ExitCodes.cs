namespace EntraSync.Cli;

/// <summary>The tool's exit codes (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: the directory could not be read, a check failed, the store is missing...</summary>
    public const int Failure = 1;

    /// <summary>The command line or the config file is wrong; nothing was run.</summary>
    public const int Usage = 2;

    /// <summary>Sync completed, but removals crossed the threshold and wait for <c>approve</c> or <c>reject</c>.</summary>
    public const int StagedRemovals = 3;

    /// <summary>Cancelled with Ctrl+C; nobody was removed.</summary>
    public const int Cancelled = 130;
}
