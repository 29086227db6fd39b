namespace EntraSync.Cli;

/// <summary>The <c>entrasync</c> tool's entry point: wires Ctrl+C to cancellation and hands over to <see cref="CliApp"/>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C cancels the run cleanly (a cancelled run removes nobody); a second one ends the process.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        return await CliApp.RunAsync(args, CliConsole.CreateSystem(), cancel.Token).ConfigureAwait(false);
    }
}
