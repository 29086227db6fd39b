using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Tests;

/// <summary>
/// The rough edges an IT admin hits in a fresh clone: which tenant the read-only commands show, messages in words
/// (never .NET type names), a damaged database, a first line that tells the truth, and a report that says it is partial.
/// </summary>
public sealed class AdminMessageTests : IAsyncLifetime, IDisposable
{
    private readonly ToolRunner _cli = new();
    private GraphEmulator _emulator = null!;
    private string[] _connection = [];

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 40, Seed = 5 });
        _connection = ["--graph-url", _emulator.GraphBaseUrl, "--access-token", _emulator.CreateAccessToken(_emulator.DefaultTenant.Id)];
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task After_a_sync_with_connection_options_employees_and_runs_show_that_tenant_without_repeating_them()
    {
        var sync = await _cli.RunAsync(["sync", "--json", .. _connection]);
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var created = sync.Json().GetProperty("counts").GetProperty("created").GetInt32();
        Assert.True(created > 0);

        var employees = await _cli.RunAsync("employees", "--json");
        var runs = await _cli.RunAsync("runs", "--json");

        Assert.True(employees.ExitCode == 0, employees.ToString());
        Assert.Equal(_emulator.DefaultTenant.Id, employees.Json().GetProperty("tenantId").GetString());
        Assert.Equal(created, employees.Json().GetProperty("total").GetInt32());
        Assert.Equal(1, runs.Json().GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task A_database_with_several_tenants_asks_for_tenant_and_tenant_chooses()
    {
        var other = _emulator.AddTenant("7d1c3b2a-0f4e-4a6b-9c8d-1e2f3a4b5c6d", o => o.UserCount = 12);
        Assert.Equal(0, (await _cli.RunAsync(["sync", .. _connection])).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("sync", "--graph-url", _emulator.GraphBaseUrl, "--access-token", _emulator.CreateAccessToken(other.Id))).ExitCode);

        var ambiguous = await _cli.RunAsync("employees");
        var chosen = await _cli.RunAsync("employees", "--json", "--tenant", other.Id);
        var unknown = await _cli.RunAsync("runs", "--tenant", "no-such-tenant");

        Assert.Equal(2, ambiguous.ExitCode);
        ambiguous.AssertOneErrorWithHint();
        Assert.Contains("holds 2 tenants", ambiguous.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains(other.Id, ambiguous.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("--tenant", ambiguous.ErrorLines[1], StringComparison.Ordinal);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Equal(other.Id, chosen.Json().GetProperty("tenantId").GetString());
        Assert.True(chosen.Json().GetProperty("total").GetInt32() > 0);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("holds nothing for tenant 'no-such-tenant'", unknown.ErrorLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "preview", "--max", "abc" }, "--max takes a whole number, not 'abc'.")]
    [InlineData(new[] { "runs", "--max", "many" }, "--max takes a whole number, not 'many'.")]
    public async Task A_value_of_the_wrong_kind_is_named_in_words_not_dotnet_types(string[] args, string expected)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: " + expected, result.ErrorLines[0]);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_suggests_the_right_one()
    {
        var result = await _cli.RunAsync("sync", "--fulll");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("hint: Did you mean '--full'?", result.ErrorLines[1], StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DbPath));
    }

    [Fact]
    public async Task A_folder_given_as_the_config_or_the_database_is_called_a_folder()
    {
        Directory.CreateDirectory(Path.Combine(_cli.Folder, "profiles"));

        var config = await _cli.RunAsync("sync", "--config", "profiles");
        var db = await _cli.RunAsync("sync", "--db", "profiles");

        Assert.Equal(2, config.ExitCode);
        Assert.Contains("profiles' is a folder, not a file", config.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal(2, db.ExitCode);
        Assert.Contains("profiles' is a folder, not a file", db.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_cli.Folder, "profiles", "entrasync.db"), db.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_in_the_config_names_the_line_and_position()
    {
        _cli.WriteFile("profile.json", "{\n  \"Removal\": {\n    \"Mode\": \"SoftDelete\",\n    oops\n  }\n}\n");

        var result = await _cli.RunAsync("sync", "--config", "profile.json");

        Assert.Equal(2, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains("is not valid JSON at line 4, position 5", result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Removal":{"MaxRemovalsPerRun":"lots"}}""", "'Removal:MaxRemovalsPerRun' is 'lots', but it takes a whole number.")]
    [InlineData("""{"Removal":{"Mode":"Nuke"}}""", "'Removal:Mode' is 'Nuke', but it takes one of SoftDelete, Delete, Keep.")]
    [InlineData("""{"Removal":{"RetentionPeriod":"three months"}}""", "'Removal:RetentionPeriod' is 'three months', but it takes a period")]
    public async Task A_config_value_of_the_wrong_kind_is_named_in_words(string json, string expected)
    {
        _cli.WriteFile("profile.json", json);

        var result = await _cli.RunAsync("sync", "--config", "profile.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_database_says_so_and_what_to_do()
    {
        _cli.WriteFile("entrasync.db", "this is not a database, it is a shopping list");

        var result = await _cli.RunAsync("employees");

        Assert.Equal(1, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains("is damaged or is not an entrasync database", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("Restore the file from a backup, or delete it", result.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_line_of_a_failed_sync_does_not_say_synced()
    {
        // Nothing listens on port 1: the directory cannot be reached.
        var result = await _cli.RunAsync("sync", "--graph-url", "http://127.0.0.1:1/v1.0", "--access-token", "token");

        Assert.Equal(1, result.ExitCode);
        var first = result.Out.Split('\n')[0];
        Assert.StartsWith("Sync failed for", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Synced", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_cut_at_its_limit_says_it_is_partial_and_how_to_list_everyone()
    {
        _cli.WriteFile("profile.json", """{"MaxUserOutcomesInReport": 5}""");

        var text = await _cli.RunAsync(["sync", "--config", "profile.json", .. _connection]);
        var json = await _cli.RunAsync(["sync", "--json", "--db", "second.db", "--config", "profile.json", .. _connection]);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains("Note: The report lists the first 5 users (MaxUserOutcomesInReport is 5); the counts are complete.", text.Out, StringComparison.Ordinal);
        Assert.Contains("set \"MaxUserOutcomesInReport\" to at least 40", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("--json lists every user", text.Out, StringComparison.Ordinal);
        var document = json.Json();
        Assert.True(document.GetProperty("usersTruncated").GetBoolean());
        Assert.Contains("to at least 40", document.GetProperty("usersNote").GetString(), StringComparison.Ordinal);
        await CliSchemas.AssertValidAsync("sync", json.Out);
    }

    [Fact]
    public async Task Check_on_the_demo_tenant_describes_the_demo_and_counts_as_preview_does()
    {
        var check = await _cli.RunAsync("check");
        var preview = (await _cli.RunAsync("preview", "--json", "--max", "0")).Json().GetProperty("totals");

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("No sign-in needed: the built-in demo tenant runs inside this tool.", check.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("access token", check.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{preview.GetProperty("imported").GetInt32()} would be imported, {preview.GetProperty("outOfScope").GetInt32()} are out of scope", check.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_users_sizes_the_demo_tenant()
    {
        var sync = await _cli.RunAsync("sync", "--json", "--demo-users", "57");
        var tooMany = await _cli.RunAsync("sync", "--demo-users", "2000000");

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Equal(57, sync.Json().GetProperty("counts").GetProperty("read").GetInt32());
        Assert.Contains("57 generated users", sync.Json().GetProperty("directory").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("--demo-users must be between 1 and 1,000,000", tooMany.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_shows_the_stack_trace_of_a_directory_error()
    {
        var quiet = await _cli.RunAsync("sync", "--graph-url", "http://127.0.0.1:1/v1.0", "--access-token", "token");
        var verbose = await _cli.RunAsync("sync", "--verbose", "--graph-url", "http://127.0.0.1:1/v1.0", "--access-token", "token");

        Assert.DoesNotContain("   at ", quiet.Error, StringComparison.Ordinal);
        Assert.Contains("EntraSync.DirectoryException", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_that_cannot_reach_entra_id_says_so_instead_of_blaming_the_secret()
    {
        var result = await _cli.RunAsync(
            "sync", "--tenant-id", "contoso.onmicrosoft.com", "--client-id", "11111111-1111-1111-1111-111111111111",
            "--client-secret", "s3cr3t-value", "--authority-host", "https://127.0.0.1:1/");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sign-in endpoint 127.0.0.1 could not be reached", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("ClientSecret", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", result.Error + result.Out, StringComparison.Ordinal);
    }
}
