using System.Diagnostics;
using System.Text.Json;
using EntraSync.Cli;
using EntraSync.Cli.Hosting;

namespace EntraSync.Cli.Tests.TestSupport;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the error form: nothing on standard output, one "error:" line and one "hint:" line, no stack trace.</summary>
    public void AssertOneErrorWithHint()
    {
        Assert.Equal("", Out);
        Assert.Collection(
            ErrorLines,
            line => Assert.StartsWith("error: ", line, StringComparison.Ordinal),
            line => Assert.StartsWith("hint: ", line, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
    }

    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the tool in a temporary folder of its own (the current folder for relative paths and the default
/// entrasync.db), in process through its entry point or as a real process.
/// </summary>
public sealed class ToolRunner : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public ToolRunner()
    {
        Folder = Path.Combine(Path.GetTempPath(), "entrasync-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string DbPath => Path.Combine(Folder, "entrasync.db");

    internal CliHooks Hooks { get; set; } = CliHooks.None;

    public ToolRunner WithEnvironment(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            IsInteractive = false,
            Width = null,
            GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
            CurrentDirectory = Folder,
            UserName = "test-admin",
        };
        var exitCode = await CliApp.RunAsync(args, console, CancellationToken.None, Hooks);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built tool (EntraSync.Cli.dll, copied next to the tests) with <c>dotnet</c>, in <see cref="Folder"/>.</summary>
    public async Task<CliResult> RunProcessAsync(params string[] args)
    {
        using var process = StartProcess(args);
        return await process.WaitAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts the built tool as a real process and returns at once (for tests that kill it).</summary>
    public ToolProcess StartProcess(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "EntraSync.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ENTRASYNC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        return new ToolProcess(Process.Start(start)!);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind.
        }
    }
}

/// <summary>A running tool process: its output is read as it comes, so it never blocks on a full pipe.</summary>
public sealed class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    internal ToolProcess(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process at once (SIGKILL on Linux): no cleanup, no lease release, like an OOM kill or a crashed host.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<CliResult> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return new CliResult(_process.ExitCode, await _output, await _error);
    }

    public void Dispose() => _process.Dispose();
}
