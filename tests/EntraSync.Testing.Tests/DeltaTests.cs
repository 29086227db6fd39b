using System.Text.Json;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;

namespace EntraSync.Testing.Tests;

public sealed class DeltaTests
{
    /// <summary>Follows nextLinks to the deltaLink; returns every item and the deltaLink.</summary>
    private static async Task<(List<JsonElement> Items, string DeltaLink, List<JsonElement> Pages)> RoundAsync(HttpClient http, string url, params (string, string)[] headers)
    {
        var items = new List<JsonElement>();
        var pages = new List<JsonElement>();
        while (true)
        {
            var (status, body, _) = await http.GetJsonAsync(url, headers);
            Assert.Equal(200, status);
            pages.Add(body);
            items.AddRange(body.GetProperty("value").EnumerateArray());
            if (body.TryGetProperty("@odata.deltaLink", out var delta))
            {
                Assert.False(body.TryGetProperty("@odata.nextLink", out _));
                return (items, delta.GetString()!, pages);
            }

            url = body.GetProperty("@odata.nextLink").GetString()!;
        }
    }

    [Fact]
    public async Task Initial_round_pages_by_200_then_gives_a_deltaLink_with_the_published_shapes()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 450 });
        using var http = emulator.CreateHttpClient();

        var (items, deltaLink, pages) = await RoundAsync(http, "v1.0/users/delta?$select=displayName,givenName,surname");

        Assert.Equal(3, pages.Count);
        Assert.Equal(200, pages[0].GetProperty("value").GetArrayLength());
        Assert.Equal(450, items.Count);
        Assert.Contains("$deltatoken=", deltaLink, StringComparison.Ordinal);
        GraphFixtures.AssertSameShape(GraphFixtures.Load("users-delta-initial-page-nextlink-with-removed.json").GetProperty("value")[0], items.First(i => i.TryGetProperty("givenName", out _)));
        Assert.Equal(GraphFixtures.Keys(GraphFixtures.Load("users-delta-initial-page-nextlink-with-removed.json")), GraphFixtures.Keys(pages[0]));
        Assert.Equal(GraphFixtures.Keys(GraphFixtures.Load("users-delta-page3-final-deltalink.json")), GraphFixtures.Keys(pages[2]));

        // The first page's context is projected; later pages say plain #users, as Graph does.
        Assert.EndsWith("#users(displayName,givenName,surname)", pages[0].GetProperty("@odata.context").GetString());
        Assert.EndsWith("#users", pages[1].GetProperty("@odata.context").GetString());

        // Rooms and shared mailboxes have no given name or surname: those properties are omitted, not null.
        var room = items.First(i => !i.TryGetProperty("givenName", out _));
        Assert.Equal(["displayName", "id"], GraphFixtures.Keys(room));
        Assert.Equal("id", GraphFixtures.Keys(items[0])[^1]);
    }

    [Fact]
    public async Task Graph_sdk_delta_builders_walk_the_round()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 230 });
        var client = emulator.CreateGraphClient();

        var page = await client.Users.Delta.GetAsDeltaGetResponseAsync(r => r.QueryParameters.Select = ["displayName", "jobTitle"]);
        var count = page!.Value!.Count;
        while (page.OdataNextLink is { } next)
        {
            page = await new Microsoft.Graph.Users.Delta.DeltaRequestBuilder(next, client.RequestAdapter).GetAsDeltaGetResponseAsync();
            count += page!.Value!.Count;
        }

        Assert.Equal(230, count);
        Assert.NotNull(page.OdataDeltaLink);
    }

    [Fact]
    public async Task Next_round_reports_creates_tracked_changes_soft_and_hard_deletes_and_restores()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var changed = tenant.AddUser(TestSupport.User("Adele", "Vance"));
        var untracked = tenant.AddUser(TestSupport.User("Alex", "Wilber"));
        var softDeleted = tenant.AddUser(TestSupport.User("Megan", "Bowen"));
        var hardDeleted = tenant.AddUser(TestSupport.User("Lee", "Gu"));
        var restored = tenant.AddUser(TestSupport.User("Lynne", "Robbins"));
        tenant.AddUser(TestSupport.User("Nestor", "Wilke"));
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta?$select=displayName,jobTitle");
        tenant.DeleteUser(restored.Id);
        var (_, deltaLink2, _) = await RoundAsync(http, deltaLink);

        tenant.UpdateUser(changed.Id, u => u.JobTitle = "Retail Manager");
        tenant.UpdateUser(untracked.Id, u => u.City = "Oslo");
        tenant.DeleteUser(softDeleted.Id);
        tenant.PermanentlyDeleteUser(hardDeleted.Id);
        tenant.RestoreUser(restored.Id);
        var created = tenant.AddUser(TestSupport.User("Pradeep", "Gupta"));
        var (items, _, pages) = await RoundAsync(http, deltaLink2);

        var byId = items.ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal(5, items.Count);
        Assert.Equal("Retail Manager", byId[changed.Id].GetProperty("jobTitle").GetString());
        Assert.DoesNotContain(untracked.Id, byId.Keys);
        Assert.Equal("changed", byId[softDeleted.Id].GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Equal("deleted", byId[hardDeleted.Id].GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Equal("Lynne Robbins", byId[restored.Id].GetProperty("displayName").GetString());
        Assert.False(byId[restored.Id].TryGetProperty("@removed", out _));
        Assert.Equal("Pradeep Gupta", byId[created.Id].GetProperty("displayName").GetString());
        var published = GraphFixtures.Load("users-delta-deltalink-changes-with-removed-changed.json");
        GraphFixtures.AssertSameShape(published.GetProperty("value")[1], byId[softDeleted.Id]);
        Assert.Equal(GraphFixtures.Keys(published), GraphFixtures.Keys(pages[^1]));
    }

    [Fact]
    public async Task A_round_without_changes_is_empty_with_a_new_deltaLink()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 20 });
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta");

        var (status, body, _) = await http.GetJsonAsync(deltaLink);

        Assert.Equal(200, status);
        GraphFixtures.AssertSameShape(GraphFixtures.Load("users-delta-deltalink-no-changes.json"), body);
        Assert.Equal(0, body.GetProperty("value").GetArrayLength());
        Assert.NotEqual(deltaLink, body.GetProperty("@odata.deltaLink").GetString());
    }

    [Fact]
    public async Task Default_delta_items_have_the_published_default_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u =>
        {
            u.BusinessPhones.Add("+1 425 555 0109");
            u.JobTitle = "Retail Manager";
            u.MobilePhone = "+1 425 555 0109";
            u.OfficeLocation = "18/2111";
            u.PreferredLanguage = "en-US";
        }));
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await http.GetJsonAsync("v1.0/users/delta");

        var expected = GraphFixtures.Load("user-delta-default-properties-nextlink.json").GetProperty("value")[0];
        Assert.Equal(GraphFixtures.Keys(expected), GraphFixtures.Keys(body.GetProperty("value")[0]));
    }

    [Fact]
    public async Task DeltaToken_latest_starts_from_now()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 50 });
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await http.GetJsonAsync("v1.0/users/delta?$deltatoken=latest");
        var added = emulator.DefaultTenant.AddUser(TestSupport.User("Diego", "Siciliani"));
        var (items, _, _) = await RoundAsync(http, body.GetProperty("@odata.deltaLink").GetString()!);

        Assert.Equal(0, body.GetProperty("value").GetArrayLength());
        Assert.Equal(added.Id, Assert.Single(items).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_delta_link_older_than_seven_days_answers_syncStateNotFound()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5, TimeProvider = clock });
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta");

        clock.Advance(TimeSpan.FromDays(6));
        var (fresh, _, _) = await http.GetJsonAsync(deltaLink);
        clock.Advance(TimeSpan.FromDays(1.5));
        var (status, body, _) = await http.GetJsonAsync(deltaLink);

        Assert.Equal(200, fresh);
        Assert.Equal(400, status);
        GraphFixtures.AssertGraphError(body, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
        Assert.Equal("2025-03-08T21:00:00", body.GetProperty("error").GetProperty("innerError").GetProperty("date").GetString());
    }

    [Fact]
    public async Task ExpireDeltaTokens_expires_outstanding_links()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta");

        emulator.DefaultTenant.ExpireDeltaTokens();
        var (status, body, _) = await http.GetJsonAsync(deltaLink);

        Assert.Equal(400, status);
        Assert.Equal("syncStateNotFound", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_reset_answers_410_Gone_with_a_Location_that_starts_a_full_sync()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 30 });
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta?$select=displayName");

        emulator.DefaultTenant.ResetDeltaState();
        var (status, body, response) = await http.GetJsonAsync(deltaLink);
        var location = response.Headers.Location!.ToString();
        var (items, _, pages) = await RoundAsync(http, location);

        Assert.Equal(410, status);
        GraphFixtures.AssertGraphError(body, "resyncRequired");
        Assert.EndsWith("$deltatoken=", location, StringComparison.Ordinal);
        Assert.Equal(30, items.Count);
        Assert.Equal(["displayName", "id"], GraphFixtures.Keys(items[0]));
        Assert.NotEmpty(pages);
    }

    [Fact]
    public async Task Replay_sends_duplicates_within_and_across_rounds()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 450 });
        emulator.DefaultTenant.ReplayDeltaDuplicates = true;
        using var http = emulator.CreateHttpClient();

        var (items, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta");
        var user = emulator.DefaultTenant.GetUsers()[0];
        emulator.DefaultTenant.UpdateUser(user.Id, u => u.DisplayName = "Renamed");
        var (second, deltaLink2, _) = await RoundAsync(http, deltaLink);
        var (third, _, _) = await RoundAsync(http, deltaLink2);

        Assert.Equal(450, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        Assert.True(items.Count > 450);
        Assert.Equal(user.Id, Assert.Single(second).GetProperty("id").GetString());
        Assert.Equal(user.Id, Assert.Single(third).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Prefer_return_minimal_sends_only_changed_properties()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u => u.MobilePhone = "+45 1234"));
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta?$select=displayName,jobTitle,mobilePhone");

        emulator.DefaultTenant.UpdateUser(user.Id, u =>
        {
            u.DisplayName = "Vance Adele";
            u.JobTitle = "Product Marketing Manager";
        });
        var (items, _, _) = await RoundAsync(http, deltaLink, ("Prefer", "return=minimal"));

        var item = Assert.Single(items);
        Assert.Equal(["displayName", "jobTitle", "id"], GraphFixtures.Keys(item));
        var published = GraphFixtures.Load("user-delta-minimal-return-nextlink.json").GetProperty("value")[0];
        Assert.Equal(published.GetProperty("displayName").GetString(), item.GetProperty("displayName").GetString());
        Assert.Equal(published.GetProperty("jobTitle").GetString(), item.GetProperty("jobTitle").GetString());
    }

    [Fact]
    public async Task Clearing_a_property_shows_it_as_null_in_minimal_and_omitted_in_default()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u => u.JobTitle = "Boss"));
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink, _) = await RoundAsync(http, "v1.0/users/delta?$select=displayName,jobTitle");

        emulator.DefaultTenant.UpdateUser(user.Id, u => u.JobTitle = null);
        var (minimal, _, _) = await RoundAsync(http, deltaLink, ("Prefer", "return=minimal"));
        var (full, _, _) = await RoundAsync(http, deltaLink);

        Assert.Equal(JsonValueKind.Null, Assert.Single(minimal).GetProperty("jobTitle").ValueKind);
        Assert.False(Assert.Single(full).TryGetProperty("jobTitle", out _));
    }

    [Theory]
    [InlineData("v1.0/users/delta?$top=10")]
    [InlineData("v1.0/users/delta?$orderby=displayName")]
    public async Task Unsupported_delta_parameters_are_400(string url)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync(url);

        Assert.Equal(400, status);
        GraphFixtures.AssertGraphError(body, "Request_UnsupportedQuery");
    }

    [Fact]
    public async Task A_garbage_token_is_syncStateNotFound()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users/delta?$deltatoken=not-a-token");

        Assert.Equal(400, status);
        Assert.Equal("syncStateNotFound", body.GetProperty("error").GetProperty("code").GetString());
    }
}
