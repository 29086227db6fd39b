using System.Net;
using System.Text;
using System.Text.Json;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Testing.Tests;

public sealed class FaultAndLogTests
{
    private static async Task<int> PostFaultsAsync(GraphEmulator emulator, string json)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        using var response = await http.PostAsync("_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Throttling_sends_429_with_fractional_RetryAfter_and_graphs_body()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        using var http = emulator.CreateHttpClient();

        Assert.Equal(200, await PostFaultsAsync(emulator, """{"status":429,"retryAfterSeconds":1.5,"rate":1,"count":1}"""));
        var (status, body, response) = await http.GetJsonAsync("v1.0/users");
        var (next, _, _) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(429, status);
        Assert.Equal("1.5", response.Headers.GetValues("Retry-After").Single());
        var published = GraphFixtures.Load("error-429-toomanyrequests.json");
        Assert.Equal(GraphFixtures.Keys(published.GetProperty("error")), GraphFixtures.Keys(body.GetProperty("error")));
        Assert.Equal(GraphFixtures.Keys(published.GetProperty("error").GetProperty("innerError")), GraphFixtures.Keys(body.GetProperty("error").GetProperty("innerError")));
        Assert.Equal("TooManyRequests", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Please retry again later.", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(200, next);
        Assert.Equal("status", emulator.Requests[0].Fault);
    }

    [Fact]
    public async Task The_graph_sdk_retries_a_429_and_succeeds()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        emulator.Faults.Status = 429;
        emulator.Faults.RetryAfterSeconds = 0;
        emulator.Faults.Count = 1;
        var client = emulator.CreateGraphClient();

        var users = await client.Users.GetAsync();

        Assert.Equal(5, users!.Value!.Count);
        Assert.Equal([429, 200], emulator.Requests.Select(r => r.StatusCode));
    }

    [Theory]
    [InlineData(500, "generalException")]
    [InlineData(503, "serviceNotAvailable")]
    [InlineData(504, "gatewayTimeout")]
    public async Task Server_errors_are_injected_at_the_configured_rate(int code, string errorCode)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        using var http = emulator.CreateHttpClient();
        await PostFaultsAsync(emulator, $$"""{"status":{{code}},"rate":1}""");

        var (status, body, _) = await http.GetJsonAsync("v1.0/users");
        await PostFaultsAsync(emulator, """{"reset":true}""");
        var (after, _, _) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(code, status);
        GraphFixtures.AssertGraphError(body, errorCode);
        Assert.Equal(200, after);
    }

    [Fact]
    public async Task A_partial_rate_faults_some_requests_deterministically()
    {
        async Task<List<int>> RunAsync()
        {
            await using var emulator = await GraphEmulator.StartAsync(new() { Seed = 11 });
            emulator.Faults.Status = 503;
            emulator.Faults.Rate = 0.3;
            using var http = emulator.CreateHttpClient();
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                statuses.Add((await http.GetJsonAsync("v1.0/users")).Status);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Contains(503, first);
        Assert.Contains(200, first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Latency_waits_on_the_emulators_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { TimeProvider = clock });
        Assert.Equal(200, await PostFaultsAsync(emulator, """{"latencyMs":100}"""));
        using var http = emulator.CreateHttpClient();

        var pending = http.GetJsonAsync("v1.0/users");
        while (emulator.Requests.Count == 0)
        {
            await Task.Yield();
        }

        Assert.False(pending.IsCompleted);
        while (!pending.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System));
        }

        Assert.Equal(200, (await pending).Status);
    }

    [Fact]
    public async Task A_cut_off_body_breaks_the_read_mid_page()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 100 });
        await PostFaultsAsync(emulator, """{"cutOffRate":1,"count":1}""");
        using var http = emulator.CreateHttpClient();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => http.GetStringAsync("v1.0/users"));
        var next = await http.GetStringAsync("v1.0/users");

        Assert.True(error is HttpRequestException or IOException, error.GetType().FullName);
        Assert.Equal(100, JsonDocument.Parse(next).RootElement.GetProperty("value").GetArrayLength());
        Assert.Equal("cutOff", emulator.Requests[0].Fault);
    }

    [Fact]
    public async Task A_connection_reset_fails_the_request()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.Faults.ConnectionResetRate = 1;
        emulator.Faults.Count = 1;
        using var http = emulator.CreateHttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("v1.0/users"));
        using var next = await http.GetAsync("v1.0/users");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("connectionReset", emulator.Requests[0].Fault);
    }

    [Fact]
    public async Task Faults_can_target_a_path_and_be_read_back()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        using var http = emulator.CreateHttpClient();
        await PostFaultsAsync(emulator, """{"status":503,"pathContains":"/photo"}""");
        using var control = new HttpClient { BaseAddress = emulator.BaseAddress };

        var (users, _, _) = await http.GetJsonAsync("v1.0/users");
        var (photo, _, _) = await http.GetJsonAsync($"v1.0/users/{user.Id}/photo");
        var (_, settings, _) = await control.GetJsonAsync("_emulator/faults");
        var bad = await PostFaultsAsync(emulator, """{"shoeSize":1}""");

        Assert.Equal(200, users);
        Assert.Equal(503, photo);
        Assert.Equal(503, settings.GetProperty("status").GetInt32());
        Assert.Equal("/photo", settings.GetProperty("pathContains").GetString());
        Assert.Equal(400, bad);
    }

    [Fact]
    public async Task The_request_log_shows_method_path_and_headers_without_authorization()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        var client = emulator.CreateGraphClient();
        await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Select = ["displayName"];
            r.QueryParameters.Count = true;
            r.Headers.Add("ConsistencyLevel", "eventual");
        });
        using var control = new HttpClient { BaseAddress = emulator.BaseAddress };

        var (_, log, _) = await control.GetJsonAsync("_emulator/requests");
        using var cleared = await control.DeleteAsync("_emulator/requests");

        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("GET", entry.GetProperty("method").GetString());
        Assert.StartsWith("/v1.0/users?", entry.GetProperty("pathAndQuery").GetString(), StringComparison.Ordinal);
        Assert.Contains("select=displayName", entry.GetProperty("pathAndQuery").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.Equal("eventual", entry.GetProperty("headers").GetProperty("ConsistencyLevel").GetString());
        Assert.False(entry.GetProperty("headers").TryGetProperty("Authorization", out _));
        Assert.All(emulator.Requests, r => Assert.DoesNotContain("Authorization", r.Headers.Keys, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty(emulator.Requests);
    }
}
