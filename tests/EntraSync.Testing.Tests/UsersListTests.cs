using System.Text.Json;
using EntraSync.Testing.Emulator;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace EntraSync.Testing.Tests;

public sealed class UsersListTests
{
    [Fact]
    public async Task Users_list_has_the_published_default_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 20 });
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users");

        Assert.Equal(200, status);
        var expected = GraphFixtures.Load("users-list-default-properties.json");
        Assert.Equal(GraphFixtures.Keys(expected), GraphFixtures.Keys(body));
        Assert.EndsWith("/v1.0/$metadata#users", body.GetProperty("@odata.context").GetString());
        foreach (var item in body.GetProperty("value").EnumerateArray())
        {
            // Same properties in the same order as Microsoft's sample, id last.
            Assert.Equal(GraphFixtures.Keys(expected.GetProperty("value")[0]), GraphFixtures.Keys(item));
        }
    }

    [Fact]
    public async Task PageIterator_reads_every_user_through_opaque_nextLinks()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 250 });
        var client = emulator.CreateGraphClient();

        var first = await client.Users.GetAsync(r => r.QueryParameters.Top = 100);
        Assert.NotNull(first?.OdataNextLink);
        Assert.Contains("$top=100", first.OdataNextLink, StringComparison.Ordinal);
        Assert.Contains("$skiptoken=", first.OdataNextLink, StringComparison.Ordinal);
        var ids = new List<string>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(client, first, u =>
        {
            ids.Add(u.Id!);
            return true;
        });
        await iterator.IterateAsync();

        Assert.Equal(250, ids.Count);
        Assert.Equal(250, ids.Distinct().Count());
        Assert.Equal(emulator.DefaultTenant.GetUsers().Select(u => u.Id), ids);
    }

    [Fact]
    public async Task Top_above_999_is_a_400()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$top=1000");

        Assert.Equal(400, status);
        GraphFixtures.AssertGraphError(body, "Request_BadRequest", "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    }

    [Fact]
    public async Task Unknown_select_property_gives_graphs_400()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$select=displayName,shoeSize");

        Assert.Equal(400, status);
        GraphFixtures.AssertGraphError(body, "Request_BadRequest", "Could not find a property named 'shoeSize' on type 'Microsoft.DirectoryServices.User'.");
    }

    [Fact]
    public async Task Selecting_a_single_entity_property_on_the_list_is_501_like_the_published_sample()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users/?$select=skills");

        Assert.Equal(501, status);
        var expected = GraphFixtures.Load("error-501-notimplemented-skills-select.json");
        Assert.Equal(expected.GetProperty("error").GetProperty("code").GetString(), body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(expected.GetProperty("error").GetProperty("message").GetString(), body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Select_projects_the_context_and_properties_with_id()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 10 });
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await http.GetJsonAsync("v1.0/users?$select=id,displayName,userPrincipalName,onPremisesExtensionAttributes");

        var expected = GraphFixtures.Load("users-list-select-onpremisesextensionattributes.json");
        Assert.EndsWith("$metadata#users(id,displayName,userPrincipalName,onPremisesExtensionAttributes)", body.GetProperty("@odata.context").GetString());
        GraphFixtures.AssertSameShape(expected.GetProperty("value")[0], body.GetProperty("value")[0]);
        Assert.Equal(GraphFixtures.Keys(expected.GetProperty("value")[0]), GraphFixtures.Keys(body.GetProperty("value")[0]));
        Assert.Equal(15, body.GetProperty("value")[0].GetProperty("onPremisesExtensionAttributes").EnumerateObject().Count());
    }

    [Fact]
    public async Task Select_without_id_still_returns_id_last()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await http.GetJsonAsync("v1.0/users?$select=displayName,mail");

        Assert.Equal(["displayName", "mail", "id"], GraphFixtures.Keys(body.GetProperty("value")[0]));
    }

    [Theory]
    [InlineData("department eq 'Sales'")]
    [InlineData("startsWith(displayName,'a')")]
    [InlineData("city in ('Oslo','Aarhus') and accountEnabled eq true")]
    [InlineData("userType eq 'Guest' or department eq 'HR'")]
    [InlineData("proxyAddresses/any(p:startsWith(p,'SPO:'))")]
    [InlineData("otherMails/any(m:m ne null)")]
    [InlineData("assignedLicenses/any(l:l/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)")]
    public async Task Filter_returns_the_users_that_match(string filter)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 300, Seed = 7 });
        var all = emulator.DefaultTenant.GetUsers();
        var client = emulator.CreateGraphClient();
        Func<EmulatedUser, bool> expected = filter switch
        {
            "department eq 'Sales'" => u => u.Department == "Sales",
            "startsWith(displayName,'a')" => u => u.DisplayName!.StartsWith('a') || u.DisplayName.StartsWith('A'),
            "city in ('Oslo','Aarhus') and accountEnabled eq true" => u => u.City is "Oslo" or "Aarhus" && u.AccountEnabled == true,
            "userType eq 'Guest' or department eq 'HR'" => u => u.UserType == "Guest" || u.Department == "HR",
            "proxyAddresses/any(p:startsWith(p,'SPO:'))" => u => u.ProxyAddresses.Any(p => p.StartsWith("SPO:", StringComparison.OrdinalIgnoreCase)),
            "otherMails/any(m:m ne null)" => u => u.OtherMails.Count > 0,
            _ => u => u.AssignedLicenses.Contains(new Guid("c7df2760-2c81-4ef7-b578-5b5392b571df")),
        };
        var advanced = filter.Contains(" ne ", StringComparison.Ordinal);

        var response = await client.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = filter;
            r.QueryParameters.Top = 999;
            if (advanced)
            {
                r.QueryParameters.Count = true;
                r.Headers.Add("ConsistencyLevel", "eventual");
            }
        });

        var expectedIds = all.Where(expected).Select(u => u.Id).ToList();
        Assert.NotEmpty(expectedIds);
        Assert.Equal(expectedIds, response!.Value!.Select(u => u.Id));
    }

    [Fact]
    public async Task EndsWith_without_advanced_query_parameters_is_the_published_400()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$filter=endsWith(userPrincipalName,'%23EXT%23@contoso.com')");

        Assert.Equal(400, status);
        var expected = GraphFixtures.Load("error-400-request-unsupportedquery-endswith-missing-advanced-params.json").GetProperty("error");
        GraphFixtures.AssertGraphError(body, expected.GetProperty("code").GetString()!, expected.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("department ne 'Sales'", "ne")]
    [InlineData("not(department eq 'Sales')", "not")]
    [InlineData("assignedLicenses/$count ne 0", "$count")]
    public async Task Advanced_operators_need_ConsistencyLevel_and_count(string filter, string op)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 50 });
        using var http = emulator.CreateHttpClient();
        var url = "v1.0/users?$filter=" + Uri.EscapeDataString(filter);

        var (status, body, _) = await http.GetJsonAsync(url);
        var (onlyHeader, _, _) = await http.GetJsonAsync(url, TestSupport.Eventual);
        var (ok, result, _) = await http.GetJsonAsync(url + "&$count=true", TestSupport.Eventual);

        Assert.Equal(400, status);
        Assert.Equal("Request_UnsupportedQuery", body.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith($"Operator '{op}' is not supported", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, onlyHeader);
        Assert.Equal(200, ok);
        Assert.Equal(result.GetProperty("value").GetArrayLength(), result.GetProperty("@odata.count").GetInt32());
    }

    [Fact]
    public async Task Extension_attribute_filter_with_count_has_the_published_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u => u.OnPremisesExtensionAttributes["extensionAttribute13"] = "www.linkedin.com/in/adele"));
        emulator.DefaultTenant.AddUser(TestSupport.User("Alex", "Wilber"));
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync(
            "v1.0/users?$filter=onPremisesExtensionAttributes/extensionAttribute13 ne null or onPremisesExtensionAttributes/extensionAttribute15 ne null&$count=true&$select=id,displayName,userPrincipalName,onPremisesExtensionAttributes",
            TestSupport.Eventual);

        Assert.Equal(200, status);
        var expected = GraphFixtures.Load("users-list-filter-extensionattributes-count.json");
        GraphFixtures.AssertSameShape(expected, body);
        Assert.Equal(1, body.GetProperty("@odata.count").GetInt32());
        Assert.Equal("www.linkedin.com/in/adele", body.GetProperty("value")[0].GetProperty("onPremisesExtensionAttributes").GetProperty("extensionAttribute13").GetString());
    }

    [Fact]
    public async Task Count_without_ConsistencyLevel_is_silently_ignored()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$count=true");

        Assert.Equal(200, status);
        Assert.False(body.TryGetProperty("@odata.count", out _));
    }

    [Fact]
    public async Task Count_appears_on_the_first_page_only()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 30 });
        using var http = emulator.CreateHttpClient();

        var (_, first, _) = await http.GetJsonAsync("v1.0/users?$count=true&$top=10", TestSupport.Eventual);
        var (_, second, _) = await http.GetJsonAsync(first.GetProperty("@odata.nextLink").GetString()!, TestSupport.Eventual);

        Assert.Equal(30, first.GetProperty("@odata.count").GetInt32());
        Assert.False(second.TryGetProperty("@odata.count", out _));
        Assert.Equal(10, second.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Count_segment_needs_ConsistencyLevel()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 12 });
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users/$count");
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1.0/users/$count");
        request.Headers.Add("ConsistencyLevel", "eventual");
        using var ok = await http.SendAsync(request);

        Assert.Equal(400, status);
        var expected = GraphFixtures.Load("error-400-request-badrequest-count-not-supported.json").GetProperty("error");
        GraphFixtures.AssertGraphError(body, expected.GetProperty("code").GetString()!, expected.GetProperty("message").GetString());
        Assert.Equal("12", await ok.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_needs_ConsistencyLevel()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(TestSupport.User("Joseph", "Tier"));
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$search=\"displayName:tier\"");
        var (ok, found, _) = await http.GetJsonAsync("v1.0/users?$search=\"displayName:tier\"", TestSupport.Eventual);

        Assert.Equal(400, status);
        var expected = GraphFixtures.Load("error-400-request-unsupportedquery-search-requires-consistencylevel.json").GetProperty("error");
        GraphFixtures.AssertGraphError(body, expected.GetProperty("code").GetString()!, expected.GetProperty("message").GetString());
        Assert.Equal(200, ok);
        Assert.Equal("Joseph Tier", found.GetProperty("value")[0].GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("shoeSize eq 'x'", 400, "Request_UnsupportedQuery")]
    [InlineData("displayName eq", 400, "BadRequest")]
    [InlineData("startsWith(displayName 'a')", 400, "BadRequest")]
    public async Task Bad_filters_give_graphs_errors(string filter, int expectedStatus, string code)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users?$filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(expectedStatus, status);
        GraphFixtures.AssertGraphError(body, code);
        if (code == "Request_UnsupportedQuery")
        {
            Assert.Equal("Unsupported or invalid query filter clause specified for property 'shoeSize' of resource 'User'.", body.GetProperty("error").GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(GraphFixtures.Load("error-400-badrequest-invalid-filter-clause.json").GetProperty("error").GetProperty("message").GetString(), body.GetProperty("error").GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Non_ascii_values_are_served_as_utf8()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(TestSupport.User("Søren", "Ærø", configure: u => u.City = "北京"));
        using var http = emulator.CreateHttpClient();

        var raw = await http.GetStringAsync("v1.0/users?$select=displayName,city");

        Assert.Contains("\"Søren Ærø\"", raw, StringComparison.Ordinal);
        Assert.Contains("\"北京\"", raw, StringComparison.Ordinal);
    }
}
