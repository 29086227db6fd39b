using Azure.Core.Pipeline;
using Azure.Identity;
using EntraSync.Connectivity;
using EntraSync.Onboarding;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntraSync.Graph.Tests;

/// <summary>"Check connectivity" through the emulator: real Azure.Identity credentials against its Entra token endpoint over HTTPS.</summary>
public sealed class ConnectivityTests
{
    private const string ClientId = "4a7c1f8e-0000-4000-8000-00000000c11e";

    private static DirectoryConnectivityChecker Checker(GraphEmulator emulator) => new(Options.Create(SourceOptions(emulator)), TimeProvider.System);

    private static GraphSourceOptions SourceOptions(GraphEmulator emulator) => new()
    {
        PrimaryHandlerFactory = emulator.HttpsBaseAddress is null ? null : emulator.CreateTrustingHandler,
        ConfigureCredentialOptions = options =>
        {
            options.Transport = new HttpClientTransport(emulator.HttpsBaseAddress is null ? new HttpClientHandler() : emulator.CreateTrustingHandler());
            options.Retry.MaxRetries = 0;
            if (options is ClientSecretCredentialOptions secret)
            {
                secret.DisableInstanceDiscovery = true;
            }
        },
    };

    private static SyncProfile SecretProfile(GraphEmulator emulator, string tenantId, string clientId, string secret) => new()
    {
        TenantId = tenantId,
        Connection = new DirectoryConnectionOptions
        {
            TenantId = tenantId,
            ClientId = clientId,
            ClientSecret = secret,
            AuthorityHost = emulator.HttpsBaseAddress!.AbsoluteUri,
            GraphBaseUrl = emulator.HttpsBaseAddress + "v1.0",
            TokenScope = "https://graph.microsoft.com/.default",
        },
    };

    [Fact]
    public async Task Check_connectivity_uses_the_sync_s_Graph_client_so_a_sync_after_it_needs_no_second_token()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true, DefaultTenantUserCount = 8 });
        var tenant = emulator.DefaultTenant;
        tenant.AddApplication(ClientId, "the-right-secret");
        var profile = SecretProfile(emulator, tenant.Id, ClientId, "the-right-secret");
        var services = new ServiceCollection().AddLogging();
        services.AddEntraUserSync(o => o.Tenants.Add(profile)).AddInMemoryStores();
        services.Configure<GraphSourceOptions>(o =>
        {
            var configured = SourceOptions(emulator);
            o.PrimaryHandlerFactory = configured.PrimaryHandlerFactory;
            o.ConfigureCredentialOptions = configured.ConfigureCredentialOptions;
        });
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<IDirectoryConnectivityChecker>().CheckConnectivityAsync(profile);
        var requestsByTheCheck = emulator.Requests.Count;
        var sync = await provider.GetRequiredService<IEntraUserSync>().SyncAsync(profile.TenantId);

        Assert.True(report.IsHealthy, string.Join("\n", report.Checks));
        Assert.Equal(SyncOutcome.Succeeded, sync.Outcome);
        Assert.Equal(8, sync.Counts.Created);
        static bool IsTokenRequest(EmulatorRequest r) => r.Method == "POST" && r.PathAndQuery.EndsWith("/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase);
        Assert.Contains(emulator.Requests.Take(requestsByTheCheck), IsTokenRequest);
        Assert.DoesNotContain(emulator.Requests.Skip(requestsByTheCheck), IsTokenRequest);
        Assert.Contains(emulator.Requests.Skip(requestsByTheCheck), r => r.PathAndQuery.StartsWith("/v1.0/users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_working_setup_passes_every_check_and_fills_in_the_tenant_name()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true, DefaultTenantUserCount = 40 });
        var tenant = emulator.DefaultTenant;
        tenant.AddApplication(ClientId, "the-right-secret");
        var group = tenant.AddGroup(new EmulatedGroup { DisplayName = "Staff" });
        tenant.AddMembers(group, tenant.GetUsers().Take(5).Select(u => u.Id));
        using var checker = Checker(emulator);
        var profile = SecretProfile(emulator, tenant.Id, ClientId, "the-right-secret");
        profile.Photos.Enabled = true;
        profile.Scope.MemberOfGroupIds = [group];
        profile.Scope.ODataFilter = "accountEnabled eq true";

        var report = await checker.CheckConnectivityAsync(profile);

        Assert.True(report.IsHealthy, string.Join("\n", report.Checks));
        Assert.Equal(
            [ConnectivityCheckNames.Token, ConnectivityCheckNames.Organization, ConnectivityCheckNames.Users, ConnectivityCheckNames.Groups, ConnectivityCheckNames.Photos, ConnectivityCheckNames.Filter],
            report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal(ConnectivityStatus.Passed, c.Status));
        Assert.Equal(tenant.Organization.DisplayName, report.Tenant!.DisplayName);
        Assert.Equal(tenant.Domain, report.Tenant.DefaultDomain);
        Assert.Equal(tenant.GetUsers().Count(u => u.AccountEnabled == true), report.UsersInScope);
        Emulator.AssertOnlyGets(emulator);
    }

    [Theory]
    [InlineData("wrong-secret", DirectoryErrorKind.InvalidCredentials, "AADSTS7000215", "Connection:ClientSecret")]
    [InlineData("expired", DirectoryErrorKind.ExpiredCredentials, "AADSTS7000222", "Connection:ClientSecret")]
    [InlineData("unknown-app", DirectoryErrorKind.ApplicationNotFound, "AADSTS700016", "Connection:ClientId")]
    [InlineData("unknown-tenant", DirectoryErrorKind.TenantNotFound, "AADSTS90002", "Connection:TenantId")]
    public async Task Each_token_failure_has_its_own_message_and_skips_the_rest(string scenario, DirectoryErrorKind kind, string code, string setting)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true, DefaultTenantUserCount = 3 });
        var tenant = emulator.DefaultTenant;
        tenant.AddApplication(ClientId, "the-right-secret", scenario == "expired" ? TimeProvider.System.GetUtcNow().AddDays(-1) : null);
        using var checker = Checker(emulator);
        var profile = scenario switch
        {
            "wrong-secret" => SecretProfile(emulator, tenant.Id, ClientId, "a-wrong-secret"),
            "unknown-app" => SecretProfile(emulator, tenant.Id, "99999999-0000-4000-8000-000000000000", "the-right-secret"),
            "unknown-tenant" => SecretProfile(emulator, "0badbad0-0000-4000-8000-000000000000", ClientId, "the-right-secret"),
            _ => SecretProfile(emulator, tenant.Id, ClientId, "the-right-secret"),
        };

        var report = await checker.CheckConnectivityAsync(profile);

        var token = report.Checks[0];
        Assert.False(report.IsHealthy);
        Assert.Equal(ConnectivityStatus.Failed, token.Status);
        Assert.Equal(kind, token.ErrorKind);
        Assert.Equal(code, token.ErrorCode);
        Assert.Equal(setting, token.Setting);
        Assert.DoesNotContain("the-right-secret", token.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a-wrong-secret", token.Message, StringComparison.Ordinal);
        Assert.All(report.Checks.Skip(1), c => Assert.Equal(ConnectivityStatus.Skipped, c.Status));
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("User.Read.All", ConnectivityCheckNames.Users, ConnectivityStatus.Failed)]
    [InlineData("GroupMember.Read.All", ConnectivityCheckNames.Groups, ConnectivityStatus.Failed)]
    [InlineData("ProfilePhoto.Read.All", ConnectivityCheckNames.Photos, ConnectivityStatus.Failed)]
    [InlineData("Organization.Read.All", ConnectivityCheckNames.Organization, ConnectivityStatus.Warning)]
    public async Task A_missing_permission_is_named_on_the_check_that_needs_it(string permission, string check, ConnectivityStatus status)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 10 });
        var tenant = emulator.DefaultTenant;
        var group = tenant.AddGroup(new EmulatedGroup { DisplayName = "Staff" });
        tenant.AddMembers(group, tenant.GetUsers().Take(3).Select(u => u.Id));
        tenant.DenyPermission(permission);
        using var checker = Checker(emulator);
        var profile = Emulator.Profile(emulator, configure: p =>
        {
            p.Photos.Enabled = true;
            p.Scope.GroupIds = [group];
        });

        var report = await checker.CheckConnectivityAsync(profile);

        var failed = Assert.Single(report.Checks, c => c.Status is ConnectivityStatus.Failed or ConnectivityStatus.Warning);
        Assert.Equal(check, failed.Name);
        Assert.Equal(status, failed.Status);
        Assert.Equal(permission, failed.MissingPermission);
        Assert.Contains(permission, failed.Message, StringComparison.Ordinal);
        Assert.Contains("admin consent", failed.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_invalid_filter_reports_Graphs_message_and_the_setting()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 10 });
        using var checker = Checker(emulator);
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "accountEnabled eq true and nosuchproperty eq 'x'");

        var report = await checker.CheckConnectivityAsync(profile);

        var filter = report.Checks.Single(c => c.Name == ConnectivityCheckNames.Filter);
        Assert.Equal(ConnectivityStatus.Failed, filter.Status);
        Assert.Equal(DirectoryErrorKind.InvalidQuery, filter.ErrorKind);
        Assert.Equal("Scope:ODataFilter", filter.Setting);
        Assert.Contains("accountEnabled eq true and nosuchproperty eq 'x'", filter.Message, StringComparison.Ordinal);
        Assert.Contains(emulator.Requests, r => r.StatusCode == 400 && r.PathAndQuery.Contains("top=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_group_fails_the_group_check()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        using var checker = Checker(emulator);

        var report = await checker.CheckConnectivityAsync(Emulator.Profile(emulator, configure: p => p.Scope.GroupIds = ["1f1f1f1f-0000-4000-8000-000000000000"]));

        var groups = report.Checks.Single(c => c.Name == ConnectivityCheckNames.Groups);
        Assert.Equal(ConnectivityStatus.Failed, groups.Status);
        Assert.Equal("Scope:GroupIds", groups.Setting);
        Assert.Contains("1f1f1f1f-0000-4000-8000-000000000000", groups.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onboarding_reads_the_consenting_tenants_name_with_the_apps_credentials()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true });
        var customer = emulator.AddTenant("7d1e2f3a-0000-4000-8000-0000000000aa", t =>
        {
            t.OrganizationName = "Fabrikam";
            t.Domain = "fabrikam.com";
        });
        customer.AddApplication(ClientId, "multi-tenant-secret");
        var verifier = new AdminConsentVerifier(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), TimeProvider.System);
        var state = verifier.CreateState("fabrikam-account", customer.Id);
        var callback = new Uri($"https://app.example.com/cb?admin_consent=True&tenant={customer.Id}&state={Uri.EscapeDataString(state)}");
        using var checker = Checker(emulator);

        var consent = verifier.ParseCallback(callback, "fabrikam-account");
        var info = await checker.GetTenantInfoAsync(SecretProfile(emulator, consent.TenantId!, ClientId, "multi-tenant-secret"));

        Assert.True(consent.IsGranted);
        Assert.Equal("Fabrikam", info.DisplayName);
        Assert.Equal("fabrikam.com", info.DefaultDomain);
        Assert.Equal(customer.Id, info.Id);
    }
}
