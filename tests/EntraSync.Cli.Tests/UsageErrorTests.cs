using EntraSync.Cli.Tests.TestSupport;

namespace EntraSync.Cli.Tests;

/// <summary>Bad command lines: one error line, a hint, exit code 2, no stack trace, nothing run.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(new[] { "sync", "--bogus" }, "--bogus")]
    [InlineData(new[] { "synk" }, "synk")]
    [InlineData(new[] { "runs", "--max", "0" }, "--max")]
    [InlineData(new[] { "runs", "--max", "many" }, "many")]
    [InlineData(new[] { "employees", "--max", "-1" }, "--max")]
    [InlineData(new[] { "preview", "--show", "everybody" }, "everybody")]
    [InlineData(new[] { "sync", "--graph-url", "not a url", "--access-token", "t" }, "not a url")]
    [InlineData(new[] { "sync", "--graph-url", "http://127.0.0.1:5080/v1.0" }, "--graph-url")]
    [InlineData(new[] { "sync", "--client-secret", "s3cr3t-value" }, "--tenant-id")]
    [InlineData(new[] { "sync", "--tenant-id", "t", "--client-id", "c", "--client-secret", "s3cr3t-value", "--certificate", "x.pfx" }, "more than one way to sign in")]
    [InlineData(new[] { "sync", "--tenant-id", "t", "--client-id", "c", "--certificate", "missing.pfx" }, "missing.pfx")]
    [InlineData(new[] { "sync", "--tenant-id", "t", "--client-id", "c", "--client-secret", "s3cr3t-value", "--authority-host", "http://login.example" }, "authority host")]
    public async Task Bad_arguments_give_one_clear_error_and_exit_code_2(string[] args, string named)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains(named, result.ErrorLines[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cr3t-value", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DbPath), "A bad command line must not create the database.");
    }

    [Fact]
    public async Task No_command_says_how_to_start()
    {
        var result = await _cli.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.ErrorLines[0]);
        Assert.Contains("entrasync sync", result.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_with_json_print_the_error_document()
    {
        var result = await _cli.RunAsync("sync", "--json", "--bogus");

        Assert.Equal(2, result.ExitCode);
        await CliSchemas.AssertValidAsync("error", result.Out);
        var json = result.Json();
        Assert.Equal("sync", json.GetProperty("command").GetString());
        Assert.Equal(2, json.GetProperty("exitCode").GetInt32());
        Assert.Contains("--bogus", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var result = await _cli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "sync", "check", "preview", "employees", "runs", "approve", "reject" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("entrasync", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("employees")]
    [InlineData("runs")]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task Commands_that_read_the_database_fail_clearly_when_there_is_none(string command)
    {
        var result = await _cli.RunAsync(command);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: There is no database at", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("entrasync sync", result.ErrorLines[1], StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DbPath));
    }

    [Fact]
    public async Task A_database_that_is_not_ours_is_reported_with_what_to_do()
    {
        var path = _cli.WriteFile("notes.db", "these are not the tables you are looking for");

        var result = await _cli.RunAsync("employees", "--db", path);

        Assert.Equal(1, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains(path, result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_in_a_folder_that_does_not_exist_is_a_usage_error()
    {
        var result = await _cli.RunAsync("sync", "--db", Path.Combine(_cli.Folder, "no", "such", "folder", "x.db"));

        Assert.Equal(2, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains("does not exist", result.ErrorLines[0], StringComparison.Ordinal);
    }
}
