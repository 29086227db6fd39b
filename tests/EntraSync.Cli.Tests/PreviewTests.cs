using EntraSync.Cli.Tests.TestSupport;

namespace EntraSync.Cli.Tests;

/// <summary>Preview: who is in and out of scope and why, the mapped fields, totals; nothing is written.</summary>
public sealed class PreviewTests : IDisposable
{
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Preview_with_a_filter_imports_only_matching_users_and_says_why_the_others_are_out()
    {
        var config = _cli.WriteFile("sales.json", """
            {
              "DisplayName": "Sales only",
              "Filter": { "Groups": [ { "Name": "Sales", "Rules": [ { "Property": "department", "Operator": "EqualTo", "Value": "Sales" } ] } ] }
            }
            """);

        var result = await _cli.RunAsync("preview", "--config", config, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        await CliSchemas.AssertValidAsync("preview", result.Out);
        var json = result.Json();
        var totals = json.GetProperty("totals");
        Assert.True(json.GetProperty("complete").GetBoolean());
        Assert.True(totals.GetProperty("imported").GetInt32() > 0, totals.ToString());
        Assert.True(totals.GetProperty("outOfScope").GetInt32() > totals.GetProperty("imported").GetInt32(), totals.ToString());
        Assert.Equal(
            totals.GetProperty("read").GetInt32(),
            totals.GetProperty("imported").GetInt32() + totals.GetProperty("outOfScope").GetInt32() + totals.GetProperty("skipped").GetInt32());
        var users = json.GetProperty("users").EnumerateArray().ToList();
        Assert.All(
            users.Where(u => u.GetProperty("outcome").GetString() == "imported"),
            u => Assert.Equal("Sales", u.GetProperty("fields").GetProperty("Department").GetString()));
        Assert.All(
            users.Where(u => u.GetProperty("outcome").GetString() == "outOfScope"),
            u => Assert.Contains("department", u.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.False(File.Exists(_cli.DbPath), "preview writes nothing");
    }

    [Fact]
    public async Task Preview_in_text_shows_totals_reasons_and_users()
    {
        var result = await _cli.RunAsync("preview", "--show", "out-of-scope", "--max", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("would be imported", result.Out, StringComparison.Ordinal);
        Assert.Contains("Out of scope, by reason", result.Out, StringComparison.Ordinal);
        Assert.Contains("out of scope", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("  import  ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_counts_everyone_a_sync_would_import()
    {
        var preview = (await _cli.RunAsync("preview", "--json")).Json();
        var sync = (await _cli.RunAsync("sync", "--json")).Json();

        Assert.Equal(preview.GetProperty("totals").GetProperty("imported").GetInt32(), sync.GetProperty("counts").GetProperty("created").GetInt32());
        Assert.Equal(preview.GetProperty("totals").GetProperty("outOfScope").GetInt32(), sync.GetProperty("counts").GetProperty("outOfScope").GetInt32());
        Assert.Equal(preview.GetProperty("totals").GetProperty("skipped").GetInt32(), sync.GetProperty("counts").GetProperty("skipped").GetInt32());
    }
}
