using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Tests;

/// <summary>Removals above the threshold are staged (exit code 3) and decided with approve or reject.</summary>
public sealed class RemovalTests : IAsyncLifetime, IDisposable
{
    private readonly ToolRunner _cli = new();
    private GraphEmulator _emulator = null!;
    private string[] _connection = [];

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 60, Seed = 11 });
        _connection = ["--graph-url", _emulator.GraphBaseUrl, "--access-token", _emulator.CreateAccessToken(_emulator.DefaultTenant.Id)];
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Staged_removals_are_approved_through_the_tool()
    {
        var stagedId = await StageRemovalsAsync(count: 25);

        var approve = await RunAsync("approve", stagedId, "--json");

        Assert.True(approve.ExitCode == 0, approve.ToString());
        await CliSchemas.AssertValidAsync("sync", approve.Out);
        var report = approve.Json();
        Assert.Equal("approve", report.GetProperty("command").GetString());
        Assert.Equal(25, report.GetProperty("counts").GetProperty("deactivated").GetInt32());

        var employees = (await RunAsync("employees", "--json", "--deactivated")).Json();
        Assert.Equal(25, employees.GetProperty("total").GetInt32());
        Assert.All(employees.GetProperty("employees").EnumerateArray(), e => Assert.NotEqual(System.Text.Json.JsonValueKind.Null, e.GetProperty("deactivatedAt").ValueKind));

        var runs = await RunAsync("runs", "--json");
        await CliSchemas.AssertValidAsync("runs", runs.Out);
        var staged = runs.Json().GetProperty("stagedRemovals")[0];
        Assert.Equal("approved", staged.GetProperty("status").GetString());
        Assert.Equal("test-admin", staged.GetProperty("decidedBy").GetString());

        var again = await RunAsync("approve");
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("error: No removals are waiting for approval", again.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staged_removals_rejected_through_the_tool_remove_nobody()
    {
        var stagedId = await StageRemovalsAsync(count: 25);

        var reject = await RunAsync("reject", "--json", "--by", "Jane from IT");

        Assert.True(reject.ExitCode == 0, reject.ToString());
        await CliSchemas.AssertValidAsync("reject", reject.Out);
        var rejected = reject.Json().GetProperty("stagedRemovals");
        Assert.Equal(stagedId, rejected.GetProperty("id").GetString());
        Assert.Equal("Jane from IT", rejected.GetProperty("decidedBy").GetString());
        var employees = (await RunAsync("employees", "--json")).Json();
        Assert.Equal(0, employees.GetProperty("deactivated").GetInt32());

        var approveRejected = await RunAsync("approve", stagedId);
        Assert.Equal(1, approveRejected.ExitCode);
        Assert.Contains("already rejected", approveRejected.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_summary_says_how_to_decide_on_staged_removals()
    {
        Assert.Equal(0, (await RunAsync("sync")).ExitCode);
        DeleteUsers(25);

        var result = await RunAsync("sync");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("staged for approval", result.Out, StringComparison.Ordinal);
        Assert.Contains("entrasync approve ", result.Out, StringComparison.Ordinal);
        var runs = await RunAsync("runs");
        Assert.Contains("Waiting for approval: 25 removal(s)", runs.Out, StringComparison.Ordinal);
    }

    private async Task<string> StageRemovalsAsync(int count)
    {
        var first = await RunAsync("sync", "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        DeleteUsers(count);

        var second = await RunAsync("sync", "--json");

        Assert.True(second.ExitCode == 3, second.ToString());
        await CliSchemas.AssertValidAsync("sync", second.Out);
        var json = second.Json();
        Assert.Equal(count, json.GetProperty("counts").GetProperty("staged").GetInt32());
        Assert.Equal(0, json.GetProperty("counts").GetProperty("deactivated").GetInt32());
        return json.GetProperty("stagedRemovalsId").GetString()!;
    }

    private void DeleteUsers(int count)
    {
        // People the first sync imported: members with a mail and both names.
        var people = _emulator.DefaultTenant.GetUsers()
            .Where(u => u.Mail is not null && u.GivenName is not null && u.Surname is not null && u.UserType != "Guest")
            .Take(count)
            .ToList();
        Assert.Equal(count, people.Count);
        foreach (var user in people)
        {
            _emulator.DefaultTenant.DeleteUser(user.Id);
        }
    }

    private Task<CliResult> RunAsync(params string[] args) => _cli.RunAsync([.. args, .. _connection]);
}
