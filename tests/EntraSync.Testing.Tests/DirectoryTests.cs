using System.Text.Json;
using EntraSync.Testing.Emulator;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraSync.Testing.Tests;

public sealed class DirectoryTests
{
    [Fact]
    public async Task Get_user_by_id_has_the_published_default_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        using var http = emulator.CreateHttpClient();

        var (status, body, _) = await http.GetJsonAsync("v1.0/users/" + user.Id);

        Assert.Equal(200, status);
        var expected = GraphFixtures.Load("user-get-default-properties.json");
        Assert.Equal(["@odata.context", .. GraphFixtures.Keys(expected)], GraphFixtures.Keys(body));
        Assert.EndsWith("$metadata#users/$entity", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Get_user_with_select_returns_only_the_selected_properties()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u => u.PostalCode = "98004"));
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var typed = await client.Users[user.Id].GetAsync(r => r.QueryParameters.Select = ["displayName", "givenName", "postalCode", "identities"]);
        var (_, body, _) = await http.GetJsonAsync($"v1.0/users/{user.Id}?$select=displayName,givenName,postalCode,identities");

        Assert.Equal("98004", typed!.PostalCode);
        var expected = GraphFixtures.Load("user-get-select-identities.json");
        Assert.Equal(GraphFixtures.Keys(expected), GraphFixtures.Keys(body));
        Assert.EndsWith("#users(displayName,givenName,postalCode,identities)/$entity", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Get_user_by_guest_upn_with_encoded_hash_and_by_dollar_upn()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var guest = emulator.DefaultTenant.AddUser(new EmulatedUser { DisplayName = "contoso1", UserPrincipalName = "contoso1_gmail.com#EXT#@contoso.onmicrosoft.com", UserType = "Guest" });
        var dollar = emulator.DefaultTenant.AddUser(new EmulatedUser { DisplayName = "Dollar", UserPrincipalName = "$admin@contoso.com" });
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var viaSdk = await client.Users["contoso1_gmail.com#EXT#@contoso.onmicrosoft.com"].GetAsync();
        var (status, viaRaw, _) = await http.GetJsonAsync("v1.0/users/contoso1_gmail.com%23EXT%23@contoso.onmicrosoft.com");
        var (dollarStatus, viaParens, _) = await http.GetJsonAsync("v1.0/users('$admin@contoso.com')");

        Assert.Equal(guest.Id, viaSdk!.Id);
        Assert.Equal(200, status);
        Assert.Equal(guest.Id, viaRaw.GetProperty("id").GetString());
        Assert.Equal(200, dollarStatus);
        Assert.Equal(dollar.Id, viaParens.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Unknown_user_is_404_Request_ResourceNotFound()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var client = emulator.CreateGraphClient();

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Users["8f6b1c8e-0000-4000-8000-000000000000"].GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", error.Error!.Code);
    }

    [Fact]
    public async Task Guest_shape_matches_the_published_guest()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 200, Seed = 3 });
        using var http = emulator.CreateHttpClient();

        var (_, body, _) = await http.GetJsonAsync("v1.0/users?$filter=userType eq 'Guest'&$select=displayName,mail,mailNickname,otherMails,proxyAddresses,userPrincipalName");

        var expected = GraphFixtures.Load("users-list-guest-with-proxyaddresses-othermails.json").GetProperty("value")[0];
        var guest = body.GetProperty("value")[0];
        Assert.Equal([.. GraphFixtures.Keys(expected), "id"], GraphFixtures.Keys(guest));
        Assert.Contains("#EXT#@", guest.GetProperty("userPrincipalName").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("SMTP:", guest.GetProperty("proxyAddresses")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organization_list_and_get_have_the_published_shape()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { ConfigureDefaultTenant = t => t.OrganizationName = "Fabrikam" });
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var (_, list, _) = await http.GetJsonAsync("v1.0/organization");
        var (_, entity, _) = await http.GetJsonAsync("v1.0/organization/" + emulator.DefaultTenant.Id);
        var typed = await client.Organization.GetAsync();

        var published = GraphFixtures.Load("organization-list.json");
        Assert.Equal(GraphFixtures.Keys(published), GraphFixtures.Keys(list));
        var org = Assert.Single(list.GetProperty("value").EnumerateArray());
        var expectedKeys = GraphFixtures.Keys(published.GetProperty("value")[0]).Where(k => k != "directorySizeQuota");
        Assert.Equal(expectedKeys, GraphFixtures.Keys(org));
        GraphFixtures.AssertSameShape(published.GetProperty("value")[0].GetProperty("verifiedDomains")[0], org.GetProperty("verifiedDomains")[0]);
        Assert.EndsWith("#organization/$entity", entity.GetProperty("@odata.context").GetString());
        var domains = Assert.Single(typed!.Value!).VerifiedDomains!;
        Assert.Contains(domains, d => d.IsInitial == true && d.Name == "fabrikam.onmicrosoft.com");
        Assert.Contains(domains, d => d.IsDefault == true && d.Name == "contoso.com");
    }

    [Fact]
    public async Task Members_transitive_members_and_the_user_cast()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var a = tenant.AddUser(TestSupport.User("Adele", "Vance"));
        var b = tenant.AddUser(TestSupport.User("Alex", "Wilber"));
        var c = tenant.AddUser(TestSupport.User("Megan", "Bowen"));
        var outer = tenant.AddGroup(new EmulatedGroup { DisplayName = "Outer" });
        var inner = tenant.AddGroup(new EmulatedGroup { DisplayName = "Inner" });
        tenant.AddMember(outer, a.Id);
        tenant.AddMember(outer, inner);
        tenant.AddMember(inner, b.Id);
        tenant.AddMember(inner, c.Id);
        tenant.AddMember(inner, a.Id);
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var (_, direct, _) = await http.GetJsonAsync($"v1.0/groups/{outer}/members");
        var (_, transitive, _) = await http.GetJsonAsync($"v1.0/groups/{outer}/transitiveMembers?$select=id,mail");
        var (castStatus, castError, _) = await http.GetJsonAsync($"v1.0/groups/{outer}/transitiveMembers/microsoft.graph.user");
        var (_, users, _) = await http.GetJsonAsync($"v1.0/groups/{outer}/transitiveMembers/microsoft.graph.user?$count=true&$select=displayName,id", TestSupport.Eventual);
        var typed = await client.Groups[outer].TransitiveMembers.GraphUser.GetAsync(r =>
        {
            r.QueryParameters.Count = true;
            r.Headers.Add("ConsistencyLevel", "eventual");
        });

        Assert.Equal(["#microsoft.graph.user", "#microsoft.graph.group"], direct.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("@odata.type").GetString()));
        var published = GraphFixtures.Load("group-transitivemembers-list.json").GetProperty("value")[0];
        Assert.Equal(GraphFixtures.Keys(published), GraphFixtures.Keys(transitive.GetProperty("value")[0]));
        Assert.Equal(4, transitive.GetProperty("value").GetArrayLength());
        Assert.Equal(400, castStatus);
        GraphFixtures.AssertGraphError(castError, "Request_UnsupportedQuery");
        GraphFixtures.AssertSameShape(GraphFixtures.Load("group-transitivemembers-odatacast-user-search-select.json"), users);
        Assert.Equal(3, users.GetProperty("@odata.count").GetInt32());
        Assert.Equal(3, typed!.Value!.Count);
    }

    [Fact]
    public async Task Members_page_with_top_and_skiptoken()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 120 });
        var allStaff = emulator.DefaultTenant.GetGroups().Single(g => g.DisplayName == "All Staff");
        var client = emulator.CreateGraphClient();

        var first = await client.Groups[allStaff.Id].TransitiveMembers.GetAsync(r => r.QueryParameters.Top = 50);
        var seen = new List<string>();
        var iterator = PageIterator<DirectoryObject, DirectoryObjectCollectionResponse>.CreatePageIterator(client, first!, o =>
        {
            seen.Add(o.Id!);
            return true;
        });
        await iterator.IterateAsync();

        Assert.True(seen.Count > 100);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Photo_metadata_value_and_the_no_photo_cases()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var withPhoto = tenant.AddUser(TestSupport.User("Adele", "Vance"));
        var mailboxNoPhoto = tenant.AddUser(TestSupport.User("Alex", "Wilber"));
        var noMailbox = tenant.AddUser(TestSupport.User("Megan", "Bowen", configure: u => u.Mail = null));
        tenant.SetPhoto(withPhoto.Id, TenantGenerator.SamplePhoto());
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var (_, metadata, _) = await http.GetJsonAsync($"v1.0/users/{withPhoto.Id}/photo");
        var bytes = await http.GetByteArrayAsync($"v1.0/users/{withPhoto.Id}/photo/$value");
        var typed = await client.Users[withPhoto.Id].Photo.GetAsync();
        await using var stream = await client.Users[withPhoto.Id].Photo.Content.GetAsync();
        var (_, empty, _) = await http.GetJsonAsync($"v1.0/users/{mailboxNoPhoto.Id}/photo");
        var (noValue, noValueBody, _) = await http.GetJsonAsync($"v1.0/users/{mailboxNoPhoto.Id}/photo/$value");
        var (noMailboxStatus, noMailboxBody, _) = await http.GetJsonAsync($"v1.0/users/{noMailbox.Id}/photo");

        var published = GraphFixtures.Load("profilephoto-get-metadata.json");
        Assert.Equal(GraphFixtures.Keys(published), GraphFixtures.Keys(metadata));
        var etag = metadata.GetProperty("@odata.mediaEtag").GetString()!;
        Assert.Matches("^\"[0-9A-F]{8}\"$", etag);
        Assert.Equal(tenant.GetPhotoETag(withPhoto.Id), etag);
        Assert.Equal(64, metadata.GetProperty("width").GetInt32());
        Assert.Equal("64x64", metadata.GetProperty("id").GetString());
        Assert.Equal(TenantGenerator.SamplePhoto(), bytes);
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0xD8, bytes[1]);
        Assert.Equal(etag, typed!.AdditionalData["@odata.mediaEtag"]);
        Assert.Equal(bytes.Length, ReadAll(stream!).Length);

        var publishedEmpty = GraphFixtures.Load("profilephoto-get-metadata-no-photo-uploaded.json");
        Assert.Equal(GraphFixtures.Keys(publishedEmpty), GraphFixtures.Keys(empty));
        Assert.Equal(string.Empty, empty.GetProperty("@odata.mediaEtag").GetString());
        Assert.Equal("image/gif", empty.GetProperty("@odata.mediaContentType").GetString());
        Assert.Equal("1x1", empty.GetProperty("id").GetString());
        Assert.Equal(404, noValue);
        GraphFixtures.AssertGraphError(noValueBody, "ImageNotFound");
        Assert.Equal(404, noMailboxStatus);
        GraphFixtures.AssertGraphError(noMailboxBody, "ImageNotFound");
    }

    [Fact]
    public async Task Generated_tenant_has_photos_groups_and_the_variety_hosts_need()
    {
        var users = new TenantGenerator(42).GenerateUsers(5000).ToList();
        var again = new TenantGenerator(42).GenerateUsers(5000).Select(u => u.Id).ToList();

        Assert.Equal(users.Select(u => u.Id), again);
        Assert.Equal(5000, users.Select(u => u.UserPrincipalName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(users, u => u.UserType == "Guest" && u.UserPrincipalName!.Contains("#EXT#", StringComparison.Ordinal));
        Assert.Contains(users, u => u.AccountEnabled == false && u.GivenName is not null);
        Assert.Contains(users, u => u.DisplayName!.StartsWith("Room ", StringComparison.Ordinal) && u.GivenName is null && u.Surname is null);
        Assert.Contains(users, u => u.DisplayName!.EndsWith("shared mailbox", StringComparison.Ordinal));
        Assert.Contains(users, u => u.Mail is null && u.ProxyAddresses.Any(p => p.StartsWith("SMTP:", StringComparison.Ordinal)) && u.ProxyAddresses.Any(p => p.StartsWith("SPO:", StringComparison.Ordinal)));
        Assert.Contains(users, u => u.Mail is null && u.ProxyAddresses.Count == 0 && u.OtherMails.Count > 0);
        Assert.Contains(users, u => u.DisplayName!.Any(ch => ch > 127));
        Assert.Contains(users, u => u.JobTitle is { } t && t.Contains(',', StringComparison.Ordinal));
        Assert.Contains(users, u => u.AssignedLicenses.Count == 0);
        Assert.Contains(users, u => u.OnPremisesExtensionAttributes.ContainsKey("extensionAttribute2"));
        Assert.Contains(users, u => u.AdditionalProperties.ContainsKey(TenantGenerator.ExtensionPropertyName));
        Assert.InRange(users.Select(u => u.Department).Distinct().Count(), 5, 12);

        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 300 });
        using var http = emulator.CreateHttpClient();
        var (_, ext, _) = await http.GetJsonAsync($"v1.0/users?$select=id,{TenantGenerator.ExtensionPropertyName}&$filter={TenantGenerator.ExtensionPropertyName} eq 'E10000' or {TenantGenerator.ExtensionPropertyName} eq 'E10001' or {TenantGenerator.ExtensionPropertyName} eq 'E10002'");
        Assert.Contains(emulator.DefaultTenant.GetUsers(), u => emulator.DefaultTenant.GetPhotoETag(u.Id) is not null);
        Assert.True(emulator.DefaultTenant.GetGroups().Count >= 10);
        Assert.All(ext.GetProperty("value").EnumerateArray(), v => Assert.StartsWith("E1000", v.GetProperty(TenantGenerator.ExtensionPropertyName).GetString(), StringComparison.Ordinal));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
