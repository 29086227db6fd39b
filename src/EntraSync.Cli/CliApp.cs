using System.CommandLine;
using EntraSync.Cli.Commands;
using EntraSync.Cli.Hosting;
using EntraSync.Cli.Output;
using Microsoft.Extensions.Options;

namespace EntraSync.Cli;

/// <summary>Parses the command line, runs the command, and turns every error into one line, a hint and an exit code.</summary>
internal static partial class CliApp
{
    private static readonly Lazy<(Command Root, Dictionary<Command, Func<CommandContext, Task<int>>> Handlers)> Tree = new(Build);

    /// <summary>Runs the tool with <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default, CliHooks? hooks = null)
    {
        var handlers = Tree.Value.Handlers;
        var parse = Parse(args);
        var wantsJson = args.Contains("--json", StringComparer.Ordinal);
        var commandName = parse.CommandResult.Command.Name;

        if (parse.Errors.Count > 0)
        {
            return Fail(console, commandName, wantsJson, UsageError(parse, commandName), verbose: false);
        }

        // --help, --version and directives: System.CommandLine's own actions, writing to our console.
        if (parse.Action is not null)
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken).ConfigureAwait(false);
        }

        if (!handlers.TryGetValue(parse.CommandResult.Command, out var handler))
        {
            return Fail(console, commandName, wantsJson, CliException.Usage("No command given.", "Run 'entrasync sync' to sync the built-in demo tenant, or 'entrasync --help' to see every command."), verbose: false);
        }

        var context = new CommandContext(commandName, parse, console, hooks ?? CliHooks.None, cancellationToken);
        var verbose = parse.GetValue(CliOptions.Verbose);
        wantsJson = context.Json;
        try
        {
            return await handler(context).ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            return Fail(console, commandName, wantsJson, ex, verbose);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(console, commandName, wantsJson, new CliException("Cancelled.", "Nothing was removed; the next sync completes what this one did not.", ExitCodes.Cancelled), verbose: false);
        }
        catch (DirectoryException ex)
        {
            return Fail(console, commandName, wantsJson, CliException.Failure(ex.Message, Hints.ForDirectory(ex.Kind), ex), verbose);
        }
        catch (OptionsValidationException ex)
        {
            return Fail(console, commandName, wantsJson, CliException.Usage(ex.Failures.FirstOrDefault() ?? ex.Message, "Fix the profile setting named above.", ex), verbose);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var hint = verbose ? null : "Run the command again with --verbose to see the details.";
            return Fail(console, commandName, wantsJson, CliException.Failure($"Unexpected error: {ex.Message}", hint, ex), verbose);
        }
    }

    /// <summary>Parses a command line without running it.</summary>
    internal static ParseResult Parse(IReadOnlyList<string> args) => Tree.Value.Root.Parse(args);

    /// <summary>Writes the error line and the hint.</summary>
    public static void WriteError(TextWriter error, string message, string? hint)
    {
        // One line, whatever the message: an exception's message can span several.
        error.WriteLine($"error: {WhiteSpace().Replace(message, " ").Trim()}");
        if (!string.IsNullOrWhiteSpace(hint))
        {
            error.WriteLine($"hint: {hint}");
        }

        error.Flush();
    }

    private static int Fail(CliConsole console, string command, bool json, CliException error, bool verbose)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, new ErrorDocument(command, error.ExitCode, new ErrorInfo(error.Message, error.Hint)));
        }

        WriteError(console.Error, error.Message, error.Hint);
        if (verbose && error.InnerException is { } inner)
        {
            console.Error.WriteLine(inner.ToString());
        }

        return error.ExitCode;
    }

    private static CliException UsageError(ParseResult parse, string commandName)
    {
        if (parse.Tokens.Count == 0)
        {
            return CliException.Usage("No command given.", "Run 'entrasync sync' to sync the built-in demo tenant, or 'entrasync --help' to see every command.");
        }

        // "Unrecognized command or argument 'synk'" says more than the "Required command was not provided." that comes with it.
        var error = parse.UnmatchedTokens.Count > 0
            ? parse.Errors.FirstOrDefault(e => e.Message.Contains(parse.UnmatchedTokens[0], StringComparison.Ordinal)) ?? parse.Errors[0]
            : parse.Errors[0];
        var message = WhiteSpace().Replace(error.Message, " ").Trim();
        var help = commandName == "entrasync" ? "entrasync --help" : $"entrasync {commandName} --help";
        if (CannotParse().Match(message) is { Success: true } parsed)
        {
            // "Cannot parse argument 'abc' for option '--max' as expected type 'System.Nullable`1[System.Int32]'."
            return CliException.Usage($"{parsed.Groups["option"].Value} takes {Describe(parsed.Groups["type"].Value)}, not '{parsed.Groups["value"].Value}'.", $"Run '{help}' to see the commands and options.");
        }

        var hint = parse.UnmatchedTokens.Count > 0 && Closest(parse.UnmatchedTokens[0], parse.CommandResult.Command) is { } closest
            ? $"Did you mean '{closest}'? Run '{help}' to see the commands and options."
            : $"Run '{help}' to see the commands and options.";
        return CliException.Usage(message.EndsWith('.') ? message : message + ".", hint);
    }

    /// <summary>A value type in words, for people (never a .NET type name).</summary>
    internal static string Describe(string typeName) => typeName switch
    {
        _ when typeName.Contains("Int32", StringComparison.Ordinal) || typeName.Contains("Int64", StringComparison.Ordinal) => "a whole number",
        _ when typeName.Contains("Double", StringComparison.Ordinal) || typeName.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ when typeName.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when typeName.Contains("TimeSpan", StringComparison.Ordinal) => "a period such as \"90.00:00:00\" (days.hours:minutes:seconds)",
        _ when typeName.Contains("DateTime", StringComparison.Ordinal) => "a date and time such as \"2026-12-04T09:00:00Z\"",
        _ when typeName.Contains("Guid", StringComparison.Ordinal) => "an id such as \"5c8e2f4a-3b71-4d0e-9a6c-de0175a1b2c3\"",
        _ => "a value of another kind",
    };

    /// <summary>The option or command of <paramref name="command"/> closest to a mistyped token (at most two edits away), or <see langword="null"/>.</summary>
    internal static string? Closest(string token, Command command)
    {
        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive).Select(o => o.Name)))
            .Concat(command.Subcommands.Select(c => c.Name))
            .Distinct(StringComparer.Ordinal);
        return names
            .Select(name => (Name: name, Distance: Graph.Internal.NameSuggestions.Distance(token.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance is > 0 and <= 2)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex CannotParse();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex WhiteSpace();

    private static (Command, Dictionary<Command, Func<CommandContext, Task<int>>>) Build()
    {
        // A plain command named "entrasync" rather than RootCommand, whose name is the file the process started from
        // (EntraSync.Cli.dll under dotnet run): the usage line then reads the same however the tool is run.
        var root = new Command(
            "entrasync",
            "entrasync: sync Microsoft Entra ID users into an employee store, and troubleshoot it.\n" +
            "With no connection options it uses a built-in demo tenant, so 'entrasync sync' works on any machine.");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
        foreach (var option in CliOptions.All)
        {
            root.Options.Add(option);
        }

        var handlers = new Dictionary<Command, Func<CommandContext, Task<int>>>();
        void Add(Command command, Func<CommandContext, Task<int>> handler)
        {
            root.Subcommands.Add(command);
            handlers[command] = handler;
        }

        Add(SyncCommand.Create(), SyncCommand.RunAsync);
        Add(CheckCommand.Create(), CheckCommand.RunAsync);
        Add(PreviewCommand.Create(), PreviewCommand.RunAsync);
        Add(EmployeesCommand.Create(), EmployeesCommand.RunAsync);
        Add(RunsCommand.Create(), RunsCommand.RunAsync);
        Add(RemovalsCommands.CreateApprove(), RemovalsCommands.ApproveAsync);
        Add(RemovalsCommands.CreateReject(), RemovalsCommands.RejectAsync);
        return (root, handlers);
    }
}
