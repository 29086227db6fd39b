using Azure.Core.Pipeline;
using EntraSync.Cli.Hosting;
using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Tests;

/// <summary>"Check connectivity" against the emulator: each check's status, and the fix when one fails.</summary>
public sealed class CheckTests : IDisposable
{
    private const string ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";
    private const string Secret = "the-right-secret";
    private readonly ToolRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Check_on_the_demo_tenant_passes()
    {
        var result = await _cli.RunAsync("check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("All checks passed", result.Out, StringComparison.Ordinal);
        Assert.Contains("Users", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DbPath), "check does not create the database");
    }

    [Fact]
    public async Task Check_with_a_missing_permission_names_the_permission_and_the_fix()
    {
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 20, Seed = 3 });
        emulator.DefaultTenant.DenyPermission("User.Read.All");

        var result = await _cli.RunAsync("check", "--json", "--graph-url", emulator.GraphBaseUrl, "--access-token", emulator.CreateAccessToken(emulator.DefaultTenant.Id));

        Assert.True(result.ExitCode == 1, result.ToString());
        await CliSchemas.AssertValidAsync("check", result.Out);
        var json = result.Json();
        Assert.False(json.GetProperty("healthy").GetBoolean());
        var users = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Users");
        Assert.Equal("failed", users.GetProperty("status").GetString());
        Assert.Equal("User.Read.All", users.GetProperty("missingPermission").GetString());
        Assert.Collection(
            result.ErrorLines,
            line => Assert.StartsWith("error: Users check failed", line, StringComparison.Ordinal),
            line => Assert.Contains("Grant User.Read.All", line, StringComparison.Ordinal));

        var text = await _cli.RunAsync("check", "--graph-url", emulator.GraphBaseUrl, "--access-token", emulator.CreateAccessToken(emulator.DefaultTenant.Id));
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("User.Read.All", text.Out, StringComparison.Ordinal);
        Assert.Contains("check(s) failed: Users", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_a_wrong_secret_fails_the_token_check_without_printing_the_secret()
    {
        await using var emulator = await StartWithTokenEndpointAsync();
        const string Wrong = "a-wrong-secret-value";

        var result = await RunWithSecretAsync(emulator, Wrong, "check", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        await CliSchemas.AssertValidAsync("check", result.Out);
        var token = result.Json().GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Token");
        Assert.Equal("failed", token.GetProperty("status").GetString());
        Assert.Equal("InvalidCredentials", token.GetProperty("errorKind").GetString());
        Assert.Equal("AADSTS7000215", token.GetProperty("errorCode").GetString());
        Assert.StartsWith("error: Token check failed", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_the_right_secret_from_the_environment_passes()
    {
        await using var emulator = await StartWithTokenEndpointAsync();
        _cli.WithEnvironment("ENTRASYNC_CLIENT_SECRET", Secret);

        var result = await RunWithSecretAsync(emulator, secret: null, "check", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.True(json.GetProperty("healthy").GetBoolean());
        Assert.Equal("clientCredentials", json.GetProperty("directory").GetProperty("kind").GetString());
        Assert.DoesNotContain(Secret, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_with_a_wrong_secret_fails_with_one_error_line_and_a_hint()
    {
        await using var emulator = await StartWithTokenEndpointAsync();
        const string Wrong = "another-wrong-secret";

        var result = await RunWithSecretAsync(emulator, Wrong, "sync");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Collection(
            result.ErrorLines,
            line => Assert.StartsWith("error: ", line, StringComparison.Ordinal),
            line => Assert.StartsWith("hint: ", line, StringComparison.Ordinal));
        Assert.Contains("secret", result.ErrorLines[1], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Wrong, result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private static async Task<GraphEmulator> StartWithTokenEndpointAsync()
    {
        var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 20, Seed = 5, EnableHttps = true });
        emulator.DefaultTenant.AddApplication(ClientId, Secret);
        return emulator;
    }

    /// <summary>
    /// Signs in through the emulator's HTTPS token endpoint. The tool is given its address as --authority-host, and
    /// Graph's scope with --token-scope (the emulator is not at graph.microsoft.com); the test's hooks make the
    /// credential and Graph client trust the emulator's self-signed certificate, which a real installation never needs.
    /// </summary>
    private Task<CliResult> RunWithSecretAsync(GraphEmulator emulator, string? secret, params string[] args)
    {
        _cli.Hooks = new CliHooks
        {
            PrimaryHandlerFactory = emulator.CreateTrustingHandler,
            ConfigureCredentialOptions = options => options.Transport = new HttpClientTransport(emulator.CreateTrustingHandler()),
        };
        List<string> all =
        [
            .. args,
            "--tenant-id", emulator.DefaultTenant.Id,
            "--client-id", ClientId,
            "--authority-host", emulator.HttpsBaseAddress!.AbsoluteUri,
            "--graph-url", emulator.HttpsBaseAddress.AbsoluteUri + "v1.0",
            "--token-scope", "https://graph.microsoft.com/.default",
        ];
        if (secret is not null)
        {
            all.AddRange(["--client-secret", secret]);
        }

        return _cli.RunAsync([.. all]);
    }
}
