using EntraSync.Cli.Tests.TestSupport;

namespace EntraSync.Cli.Tests;

/// <summary>A bad --config file: one error naming the file and the setting, exit code 2, nothing run.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string, string> BadFiles => new()
    {
        { """{ "TenantId": "contoso", "Filter": { "PeopleOnly": { "Enabled": true } """, "not valid JSON" },
        { """{ "TenantId": "contoso", "Filtr": { } }""", "did you mean Filter" },
        { """{ "Removal": { "MaxRemovalsPerRn": 5 } }""", "Removal:MaxRemovalsPerRn" },
        { """{ "Removal": { "Mode": "Shred" } }""", "Removal:Mode" },
        { """{ "Removal": { "MaxRemovalPercentPerRun": 150 } }""", "MaxRemovalPercentPerRun" },
        { """{ "Removal": { "RetentionPeriod": "ninety days" } }""", "RetentionPeriod" },
        { """{ "Filter": { "Groups": [ { "Rules": [ { "Property": "departmnt", "Operator": "EqualTo", "Value": "Sales" } ] } ] } }""", "departmnt" },
        { """{ "MandatoryFields": [ "Email", "Shoe Size" ] }""", "Shoe Size" },
        { """{ "EntraSync": { "Tenants": [ { "TenantId": "a" }, { "TenantId": "b" } ] } }""", "2 profiles" },
        { """{ "EntraSync": { "RunLeaseDuration": "01:00:00" } }""", "EntraSync:Tenants" },
        { """{ "Connection": { "TenantId": "t", "ClientId": "c", "ClientSecret": "from-file-secret", "AccessToken": "tok" } }""", "more than one way to sign in" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_config_file_gives_one_clear_error_and_exit_code_2(string content, string named)
    {
        var path = _cli.WriteFile("profile.json", content);

        var result = await _cli.RunAsync("sync", "--config", path);

        Assert.Equal(2, result.ExitCode);
        result.AssertOneErrorWithHint();
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("from-file-secret", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DbPath), "A bad config file must not create the database.");
    }

    [Fact]
    public async Task A_missing_config_file_names_the_path()
    {
        var result = await _cli.RunAsync("preview", "--config", "nowhere.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.Combine(_cli.Folder, "nowhere.json"), result.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_details_to_the_error()
    {
        var path = _cli.WriteFile("profile.json", """{ "Removal": { "Mode": "Shred" } }""");

        var result = await _cli.RunAsync("sync", "--config", path, "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.ErrorLines[0]);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }
}
