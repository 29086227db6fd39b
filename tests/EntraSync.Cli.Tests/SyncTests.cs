using System.Text.Json;
using EntraSync.Cli.Tests.TestSupport;

namespace EntraSync.Cli.Tests;

/// <summary>README's main job: sync the built-in demo tenant into entrasync.db, twice.</summary>
public sealed class SyncTests : IDisposable
{
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Sync_twice_on_the_demo_tenant_creates_then_reports_that_nothing_changed()
    {
        var first = await _cli.RunAsync("sync");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(_cli.DbPath), "sync creates entrasync.db in the current folder");
        Assert.Contains("created", first.Out, StringComparison.Ordinal);
        Assert.Contains("Done:", first.Out, StringComparison.Ordinal);
        Assert.Equal("", first.Error);

        var second = await _cli.RunAsync("sync");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Nothing changed", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("created", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_json_documents_match_the_schema_and_the_second_run_changes_nothing()
    {
        var first = await _cli.RunAsync("sync", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        await CliSchemas.AssertValidAsync("sync", first.Out);
        var json = first.Json();
        var counts = json.GetProperty("counts");
        Assert.Equal("sync", json.GetProperty("command").GetString());
        Assert.Equal("demo", json.GetProperty("directory").GetProperty("kind").GetString());
        Assert.Equal("full", json.GetProperty("mode").GetString());
        Assert.True(json.GetProperty("complete").GetBoolean());
        Assert.False(json.GetProperty("nothingChanged").GetBoolean());
        Assert.True(counts.GetProperty("created").GetInt32() > 200, counts.ToString());
        Assert.Equal(counts.GetProperty("created").GetInt32(), counts.GetProperty("changes").GetInt32());

        // The demo tenant has guests, disabled accounts, rooms and shared mailboxes: the people-only preset leaves them out, with reasons.
        var users = json.GetProperty("users").EnumerateArray().ToList();
        var outOfScope = users.Where(u => u.GetProperty("action").GetString() == "outOfScope").ToList();
        Assert.Equal(counts.GetProperty("outOfScope").GetInt32(), outOfScope.Count);
        Assert.Contains(outOfScope, u => u.GetProperty("reason").GetString()!.Contains("guest", StringComparison.OrdinalIgnoreCase));
        Assert.All(outOfScope, u => Assert.False(string.IsNullOrWhiteSpace(u.GetProperty("reason").GetString())));
        Assert.Contains(users, u => u.GetProperty("action").GetString() == "created" && u.GetProperty("email").GetString() is not null);

        var second = await _cli.RunAsync("sync", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        await CliSchemas.AssertValidAsync("sync", second.Out);
        var again = second.Json();
        Assert.True(again.GetProperty("nothingChanged").GetBoolean(), second.Out);
        Assert.Equal(0, again.GetProperty("counts").GetProperty("changes").GetInt32());
        Assert.Equal("incremental", again.GetProperty("mode").GetString());
        Assert.Equal(json.GetProperty("tenantId").GetString(), again.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task A_full_sync_after_a_sync_reads_everyone_and_changes_nothing()
    {
        var first = (await _cli.RunAsync("sync", "--json")).Json();

        var full = await _cli.RunAsync("sync", "--full", "--json");

        Assert.True(full.ExitCode == 0, full.ToString());
        var json = full.Json();
        Assert.Equal("full", json.GetProperty("mode").GetString());
        Assert.True(json.GetProperty("nothingChanged").GetBoolean(), full.Out);
        Assert.Equal(first.GetProperty("counts").GetProperty("read").GetInt32(), json.GetProperty("counts").GetProperty("read").GetInt32());
        Assert.Equal(first.GetProperty("counts").GetProperty("created").GetInt32(), json.GetProperty("counts").GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_plans_and_writes_nothing()
    {
        var dry = await _cli.RunAsync("sync", "--dry-run", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        var planned = dry.Json();
        Assert.True(planned.GetProperty("dryRun").GetBoolean());
        var wouldCreate = planned.GetProperty("counts").GetProperty("created").GetInt32();
        Assert.True(wouldCreate > 0);

        var employees = (await _cli.RunAsync("employees", "--json")).Json();
        Assert.Equal(0, employees.GetProperty("total").GetInt32());

        var real = (await _cli.RunAsync("sync", "--json")).Json();
        Assert.Equal(wouldCreate, real.GetProperty("counts").GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task Employees_lists_what_the_store_holds()
    {
        var sync = (await _cli.RunAsync("sync", "--json")).Json();

        var result = await _cli.RunAsync("employees", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        await CliSchemas.AssertValidAsync("employees", result.Out);
        var json = result.Json();
        Assert.Equal(sync.GetProperty("counts").GetProperty("created").GetInt32(), json.GetProperty("total").GetInt32());
        Assert.Equal(json.GetProperty("total").GetInt32(), json.GetProperty("active").GetInt32());
        var employees = json.GetProperty("employees").EnumerateArray().ToList();
        Assert.All(employees, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("directoryId").GetString()));
            Assert.Contains("@", e.GetProperty("email").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(e.GetProperty("firstName").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("lastName").GetString()));
            Assert.Equal("active", e.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Object, e.GetProperty("fields").ValueKind);
        });
        Assert.Contains(employees, e => e.GetProperty("fields").TryGetProperty("Job Title", out var title) && title.GetString() is not null);

        var text = await _cli.RunAsync("employees", "--search", employees[0].GetProperty("email").GetString()!);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(employees[0].GetProperty("email").GetString()!, text.Out, StringComparison.Ordinal);
        Assert.Contains("1 employee(s): 1 active", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_shows_the_history_newest_first()
    {
        var first = (await _cli.RunAsync("sync", "--json")).Json().GetProperty("runId").GetString();
        var second = (await _cli.RunAsync("sync", "--json")).Json().GetProperty("runId").GetString();

        var result = await _cli.RunAsync("runs", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        await CliSchemas.AssertValidAsync("runs", result.Out);
        var runs = result.Json().GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToList();
        Assert.Equal([second, first], runs);

        var text = await _cli.RunAsync("runs");
        Assert.Contains(first!, text.Out, StringComparison.Ordinal);
        Assert.Contains("Succeeded", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_runs_as_a_real_process_and_a_second_sync_changes_nothing()
    {
        var first = await _cli.RunProcessAsync("sync");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Done:", first.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.DbPath));

        var second = await _cli.RunProcessAsync("sync", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        await CliSchemas.AssertValidAsync("sync", second.Out);
        Assert.True(second.Json().GetProperty("nothingChanged").GetBoolean(), second.Out);

        var bad = await _cli.RunProcessAsync("sync", "--no-such-option");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: ", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_logs_the_run_to_standard_error_and_keeps_standard_output_for_the_result()
    {
        var result = await _cli.RunAsync("sync", "--verbose", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        await CliSchemas.AssertValidAsync("sync", result.Out);
        Assert.Contains("SyncRunner: Sync of tenant", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(EntraSync.Cli.Demo.DemoDirectory.AccessToken, result.Error, StringComparison.Ordinal);
    }
}
