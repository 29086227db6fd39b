using System.CommandLine;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Hosting;
using EntraSync.Cli.Output;
using EntraSync.Cli.Storage;

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

    /// <summary>
    /// For the commands that only read the database (employees, runs, approve, reject): picks the tenant whose data to
    /// use. <c>--tenant</c> wins; with connection options, their tenant; with none (the demo default), the database's
    /// only tenant, so <c>employees</c> after <c>sync --graph-url ... --access-token ...</c> needs no repetition. When
    /// that is ambiguous or names a tenant the database does not hold, says so and how to choose.
    /// </summary>
    public async Task UseStoredTenantAsync()
    {
        var settings = Settings;
        CliStorage.RequireExisting(settings.DbPath);
        var tenants = await CliStorage.ListTenantsAsync(settings.DbPath, CancellationToken).ConfigureAwait(false);
        string Listed() => string.Join(", ", tenants.Select(t => $"{t.Key} ({t.Value:N0} employee(s))"));
        if (Parse.GetValue(CliOptions.Tenant) is { Length: > 0 } chosen)
        {
            settings.Profile.TenantId = tenants.Keys.FirstOrDefault(t => string.Equals(t, chosen.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw CliException.Usage($"The database '{settings.DbPath}' holds nothing for tenant '{chosen}'.", tenants.Count == 0 ? "Run 'entrasync sync' first." : $"It holds: {Listed()}.");
            return;
        }

        var current = settings.Profile.TenantId;
        if (tenants.Count == 0 || (tenants.ContainsKey(current) && tenants.Count == 1))
        {
            return;
        }

        var implicitTenant = settings.Directory == DirectoryKind.Demo && string.Equals(current, Demo.DemoDirectory.TenantId, StringComparison.Ordinal);
        if (!implicitTenant)
        {
            if (!tenants.ContainsKey(current))
            {
                throw CliException.Failure($"The database '{settings.DbPath}' holds nothing for tenant {current} (the tenant of the connection options given).", $"It holds: {Listed()}. Pass --tenant ID to choose one.");
            }

            return;
        }

        if (tenants.Count == 1)
        {
            settings.Profile.TenantId = tenants.Keys.Single();
            settings.Profile.DisplayName = null;
            return;
        }

        throw CliException.Usage($"The database '{settings.DbPath}' holds {tenants.Count} tenants: {Listed()}.", $"Pass --tenant ID to choose one, for example --tenant {tenants.Keys.First()}.");
    }

    /// <summary>Shows live progress on a terminal while the returned scope is open (never with <c>--json</c>).</summary>
    public IDisposable? ShowProgress(CliHost host, string label) =>
        Console.IsInteractive && !Json ? new ProgressLine(Console.Error, host.Progress, label) : null;

    /// <summary>Writes the command's JSON document.</summary>
    public void WriteJson<T>(T document) => JsonOutput.Write(Out, document);

    /// <summary>Writes an error line and a hint to standard error (the result, if any, is already on standard output).</summary>
    public void WriteError(string message, string? hint) => CliApp.WriteError(Console.Error, message, hint);
}
