using System.CommandLine;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Hosting;
using EntraSync.Cli.Output;

namespace EntraSync.Cli.Commands;

/// <summary>One invocation: the parsed command line, the console, and the settings resolved on first use.</summary>
internal sealed class CommandContext(string command, ParseResult parse, CliConsole console, CliHooks hooks, CancellationToken cancellationToken)
{
    private CliSettings? _settings;

    public string Command { get; } = command;

    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = console;

    public CliHooks Hooks { get; } = hooks;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public bool Json => Parse.GetValue(CliOptions.Json);

    public CliSettings Settings => _settings ??= CliSettings.Resolve(Parse, Console);

    public TextWriter Out => Console.Out;

    public Task<CliHost> StartHostAsync(bool readsDirectory, bool createsDatabase) =>
        CliHost.StartAsync(Settings, Console, Hooks, readsDirectory, createsDatabase, CancellationToken);

    /// <summary>Shows live progress on a terminal while the returned scope is open (never with <c>--json</c>).</summary>
    public IDisposable? ShowProgress(CliHost host, string label) =>
        Console.IsInteractive && !Json ? new ProgressLine(Console.Error, host.Progress, label) : null;

    /// <summary>Writes the command's JSON document.</summary>
    public void WriteJson<T>(T document) => JsonOutput.Write(Out, document);

    /// <summary>Writes an error line and a hint to standard error (the result, if any, is already on standard output).</summary>
    public void WriteError(string message, string? hint) => CliApp.WriteError(Console.Error, message, hint);
}
