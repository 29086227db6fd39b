using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Testing.Tests;

public sealed class AuthAndTenantTests
{
    [Fact]
    public async Task No_bearer_is_401_InvalidAuthenticationToken()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        var (status, body, response) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(401, status);
        GraphFixtures.AssertGraphError(body, "InvalidAuthenticationToken", "Access token is empty.");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_an_unknown_tenant_is_401()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient("11111111-1111-1111-1111-111111111111");

        var (status, body, _) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(401, status);
        GraphFixtures.AssertGraphError(body, "InvalidAuthenticationToken");
    }

    [Fact]
    public async Task Any_other_bearer_selects_the_default_tenant()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "anything");

        var (status, body, _) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("User.Read.All", "v1.0/users")]
    [InlineData("User.Read.All", "v1.0/users/delta")]
    [InlineData("GroupMember.Read.All", "v1.0/groups/{group}/transitiveMembers")]
    [InlineData("ProfilePhoto.Read.All", "v1.0/users/{user}/photo")]
    [InlineData("Organization.Read.All", "v1.0/organization")]
    public async Task A_denied_permission_is_403_Authorization_RequestDenied(string permission, string url)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        var group = emulator.DefaultTenant.AddGroup(new EmulatedGroup { DisplayName = "G" });
        using var http = emulator.CreateHttpClient();
        url = url.Replace("{group}", group, StringComparison.Ordinal).Replace("{user}", user.Id, StringComparison.Ordinal);
        var (before, _, _) = await http.GetJsonAsync(url);

        emulator.DefaultTenant.DenyPermission(permission);
        var (status, body, _) = await http.GetJsonAsync(url);

        Assert.Equal(200, before);
        Assert.Equal(403, status);
        var published = GraphFixtures.Load("error-403-authorization-requestdenied.json").GetProperty("error");
        GraphFixtures.AssertGraphError(body, "Authorization_RequestDenied", published.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Error_inner_details_carry_date_and_echo_client_request_id()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 12, 24, 3, 25, 32, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { TimeProvider = clock });
        using var http = emulator.CreateHttpClient();

        var (_, body, response) = await http.GetJsonAsync("v1.0/users/nobody", ("client-request-id", "096361b2-75be-479b-b421-078610030949"));

        var inner = body.GetProperty("error").GetProperty("innerError");
        Assert.Equal("2024-12-24T03:25:32", inner.GetProperty("date").GetString());
        Assert.Equal("096361b2-75be-479b-b421-078610030949", inner.GetProperty("client-request-id").GetString());
        Assert.Equal(inner.GetProperty("request-id").GetString(), response.Headers.GetValues("request-id").Single());
    }

    [Fact]
    public async Task Many_tenants_on_one_emulator_are_isolated_by_token()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenants = Enumerable.Range(1, 100).Select(i => emulator.AddTenant($"10000000-0000-0000-0000-{i:000000000000}", t => { t.UserCount = 10 + (i % 7); t.Seed = i; })).ToList();

        var counts = await Task.WhenAll(tenants.Select(async t =>
        {
            var client = emulator.CreateGraphClient(t.Id);
            var users = await client.Users.GetAsync();
            return (Expected: t.UserCount, Actual: users!.Value!.Count, Ids: users.Value.Select(u => u.Id!).ToList(), Tenant: t);
        }));

        Assert.All(counts, c => Assert.Equal(c.Expected, c.Actual));
        Assert.All(counts, c => Assert.All(c.Ids, id => Assert.NotNull(c.Tenant.FindUser(id))));
        Assert.Equal(counts.Sum(c => c.Actual), counts.SelectMany(c => c.Ids).Distinct().Count());
        Assert.Equal(100, emulator.Requests.Select(r => r.TenantId).Distinct().Count());
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { TimeProvider = clock, EnableHttps = false });
        emulator.DefaultTenant.AddApplication("app-1", "s3cret");
        using var anonymous = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "app-1",
            ["client_secret"] = "s3cret",
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var tokenResponse = await anonymous.PostAsync($"{emulator.DefaultTenant.Id}/oauth2/v2.0/token", form);
        var token = System.Text.Json.JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var (fresh, _, _) = await anonymous.GetJsonAsync("v1.0/users");
        clock.Advance(TimeSpan.FromHours(2));
        var (status, body, _) = await anonymous.GetJsonAsync("v1.0/users");

        Assert.Equal(200, fresh);
        Assert.Equal(401, status);
        GraphFixtures.AssertGraphError(body, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
    }
}
