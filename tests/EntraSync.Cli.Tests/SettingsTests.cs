using System.Text;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Demo;
using EntraSync.Cli.Tests.TestSupport;

namespace EntraSync.Cli.Tests;

/// <summary>Where the connection, profile and database come from: command line over ENTRASYNC_* over the config file.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly ToolRunner _cli = new();
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void No_connection_options_mean_the_demo_tenant_with_the_people_only_preset()
    {
        var settings = Resolve("sync");

        Assert.Equal(DirectoryKind.Demo, settings.Directory);
        Assert.Equal(DemoDirectory.TenantId, settings.Profile.TenantId);
        Assert.Equal(DemoDirectory.GraphBaseUrl, settings.Profile.Connection.GraphBaseUrl);
        Assert.True(settings.Profile.Filter.PeopleOnly.Enabled);
        Assert.Equal(Path.Combine(_cli.Folder, "entrasync.db"), settings.DbPath);
    }

    [Fact]
    public void A_config_file_on_the_demo_tenant_is_used_as_it_is()
    {
        var path = _cli.WriteFile("p.json", """{ "DisplayName": "Mine", "Removal": { "MaxRemovalsPerRun": 7 } }""");

        var settings = Resolve("sync", "--config", path);

        Assert.Equal(DirectoryKind.Demo, settings.Directory);
        Assert.Equal("Mine", settings.Profile.DisplayName);
        Assert.Equal(7, settings.Profile.Removal.MaxRemovalsPerRun);
        Assert.False(settings.Profile.Filter.PeopleOnly.Enabled);
    }

    [Fact]
    public void Lists_in_the_config_file_replace_the_defaults()
    {
        var path = _cli.WriteFile("p.json", """{ "Fields": { "Fields": [ { "Name": "Email", "Source": "email" }, { "Name": "First Name", "Source": "givenName" }, { "Name": "Last Name", "Source": "surname" } ] } }""");

        var settings = Resolve("sync", "--config", path);

        Assert.Equal(["Email", "First Name", "Last Name"], settings.Profile.Fields.Fields.Select(f => f.Name));
    }

    [Fact]
    public void An_appsettings_file_with_one_tenant_is_read_from_EntraSync_Tenants()
    {
        var path = _cli.WriteFile("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Information" } }, "EntraSync": { "Tenants": [ { "TenantId": "contoso", "Removal": { "Mode": "Delete" } } ] } }""");

        var settings = Resolve("sync", "--config", path);

        Assert.Equal("contoso", settings.Profile.TenantId);
        Assert.Equal(RemovalMode.Delete, settings.Profile.Removal.Mode);
    }

    [Fact]
    public void The_command_line_wins_over_the_environment_which_wins_over_the_file()
    {
        var path = _cli.WriteFile("p.json", """{ "Connection": { "TenantId": "file-tenant", "ClientId": "file-client", "ClientSecret": "file-secret" } }""");
        _environment["ENTRASYNC_CLIENT_ID"] = "env-client";

        var settings = Resolve("sync", "--config", path, "--tenant-id", "cli-tenant");

        Assert.Equal(DirectoryKind.ClientCredentials, settings.Directory);
        Assert.Equal("cli-tenant", settings.Profile.Connection.TenantId);
        Assert.Equal("env-client", settings.Profile.Connection.ClientId);
        Assert.Equal("file-secret", settings.Profile.Connection.ClientSecret);
        Assert.Equal("cli-tenant", settings.Profile.TenantId);
        Assert.DoesNotContain("file-secret", settings.DirectoryDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_on_the_command_line_replaces_a_secret_in_the_file()
    {
        var path = _cli.WriteFile("p.json", """{ "Connection": { "TenantId": "t", "ClientId": "c", "ClientSecret": "file-secret" } }""");

        var settings = Resolve("sync", "--config", path, "--graph-url", "http://127.0.0.1:5080/v1.0", "--access-token", "tok");

        Assert.Equal(DirectoryKind.AccessToken, settings.Directory);
        Assert.Null(settings.Profile.Connection.ClientSecret);
        Assert.Null(settings.Profile.Connection.TokenScope);
        Assert.Equal("tok", settings.Profile.Connection.AccessToken);
        Assert.Equal("http://127.0.0.1:5080/v1.0", settings.Profile.Connection.GraphBaseUrl);
    }

    [Fact]
    public void Client_credentials_can_come_from_the_environment_alone()
    {
        _environment["ENTRASYNC_TENANT_ID"] = "contoso.onmicrosoft.com";
        _environment["ENTRASYNC_CLIENT_ID"] = "client";
        _environment["ENTRASYNC_CLIENT_SECRET"] = "env-secret";
        _environment["ENTRASYNC_DB"] = "other.db";
        _environment["ENTRASYNC_TOKEN_SCOPE"] = "https://graph.microsoft.com/.default";

        var settings = Resolve("check");

        Assert.Equal(DirectoryKind.ClientCredentials, settings.Directory);
        Assert.Equal("env-secret", settings.Profile.Connection.ClientSecret);
        Assert.Equal("contoso.onmicrosoft.com", settings.Profile.TenantId);
        Assert.Equal(Path.Combine(_cli.Folder, "other.db"), settings.DbPath);
        Assert.Equal("https://graph.microsoft.com/.default", settings.Profile.Connection.TokenScope);
    }

    [Fact]
    public void The_tenant_key_of_a_token_is_its_tid_claim()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"tid":"6babcaad-604b-40ac-a9d7-9fd97c0b779f","appid":"x"}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal("6babcaad-604b-40ac-a9d7-9fd97c0b779f", CliSettings.TenantFromToken($"eyJhbGciOiJub25lIn0.{payload}."));
        Assert.Null(CliSettings.TenantFromToken("opaque-token"));
        Assert.Equal("default", Resolve("sync", "--access-token", "opaque-token").Profile.TenantId);
    }

    private CliSettings Resolve(params string[] args)
    {
        var console = new EntraSync.Cli.CliConsole
        {
            Out = TextWriter.Null,
            Error = TextWriter.Null,
            CurrentDirectory = _cli.Folder,
            GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
        };
        var parse = EntraSync.Cli.CliApp.Parse(args);
        Assert.Empty(parse.Errors);
        return CliSettings.Resolve(parse, console);
    }
}
