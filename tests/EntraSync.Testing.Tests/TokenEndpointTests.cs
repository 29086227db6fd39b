using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;

namespace EntraSync.Testing.Tests;

public sealed class TokenEndpointTests
{
    private static ClientSecretCredential Credential(GraphEmulator emulator, string tenantId, string clientId, string secret) =>
        new(tenantId, clientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = emulator.HttpsBaseAddress,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(emulator.CreateTrustingHandler()),
            Retry = { MaxRetries = 0 },
        });

    [Fact]
    public async Task A_real_ClientSecretCredential_gets_a_token_that_selects_the_tenant()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true });
        var tenant = emulator.AddTenant("6babcaad-604b-40ac-a9d7-9fd97c0b779f", t => t.UserCount = 7);
        tenant.AddApplication("a0b1c2d3-0000-4000-8000-000000000001", "the-secret");
        var credential = Credential(emulator, tenant.Id, "a0b1c2d3-0000-4000-8000-000000000001", "the-secret");

        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://graph.microsoft.com/.default"]), default);
        var client = new GraphServiceClient(new HttpClient(emulator.CreateTrustingHandler()), new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(credential, [emulator.HttpsBaseAddress!.Host], null, true, "https://graph.microsoft.com/.default"), emulator.HttpsBaseAddress + "v1.0");
        var users = await client.Users.GetAsync();

        Assert.False(string.IsNullOrEmpty(token.Token));
        Assert.Equal(7, users!.Value!.Count);
        Assert.Contains(emulator.Requests, r => r.Method == "POST" && r.PathAndQuery == $"/{tenant.Id}/oauth2/v2.0/token");
        Assert.Equal(tenant.Id, emulator.Requests.Last().TenantId);
    }

    [Fact]
    public async Task A_wrong_secret_fails_with_AADSTS7000215()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { EnableHttps = true });
        emulator.DefaultTenant.AddApplication("app-1", "right");
        var credential = Credential(emulator, emulator.DefaultTenant.Id, "app-1", "wrong");

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await credential.GetTokenAsync(new TokenRequestContext(["https://graph.microsoft.com/.default"]), default));

        Assert.Contains("AADSTS7000215", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown-tenant", "app-1", "right", 400, "invalid_request", 90002)]
    [InlineData(null, "other-app", "right", 400, "unauthorized_client", 700016)]
    [InlineData(null, "app-1", "wrong", 401, "invalid_client", 7000215)]
    [InlineData(null, "expired-app", "right", 401, "invalid_client", 7000222)]
    public async Task Token_endpoint_errors_look_like_entras(string? tenantId, string clientId, string secret, int status, string error, int code)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { TimeProvider = clock });
        emulator.DefaultTenant.AddApplication("app-1", "right");
        emulator.DefaultTenant.AddApplication("expired-app", "right", clock.GetUtcNow().AddDays(-1));
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });

        using var response = await http.PostAsync($"{tenantId ?? emulator.DefaultTenant.Id}/oauth2/v2.0/token", form);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.StartsWith($"AADSTS{code}:", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, Assert.Single(body.GetProperty("error_codes").EnumerateArray()).GetInt32());
        Assert.Equal(["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri"], GraphFixtures.Keys(body));
    }

    [Fact]
    public async Task A_successful_token_response_has_entras_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddApplication("app-1", "right");
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "app-1",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = "eyJhbGciOiJub25lIn0.e30.",
            ["scope"] = "https://graph.microsoft.com/.default",
        });

        using var response = await http.PostAsync($"{emulator.DefaultTenant.Id}/oauth2/v2.0/token", form);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(["token_type", "expires_in", "ext_expires_in", "access_token"], GraphFixtures.Keys(body));
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3, body.GetProperty("access_token").GetString()!.Split('.').Length);
    }
}
