using System.Text.Json;
using EntraSync.Testing.Emulator;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraSync.Testing.Tests;

public sealed class WriteTests
{
    private static async Task<(List<JsonElement> Items, string DeltaLink)> RoundAsync(HttpClient http, string url)
    {
        var items = new List<JsonElement>();
        while (true)
        {
            var (_, body, _) = await http.GetJsonAsync(url);
            items.AddRange(body.GetProperty("value").EnumerateArray());
            if (body.TryGetProperty("@odata.deltaLink", out var delta))
            {
                return (items, delta.GetString()!);
            }

            url = body.GetProperty("@odata.nextLink").GetString()!;
        }
    }

    [Fact]
    public async Task Graph_writes_change_the_tenant_and_show_in_the_next_delta_round()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();
        var (_, deltaLink) = await RoundAsync(http, "v1.0/users/delta?$select=displayName,jobTitle,mail");

        var created = await client.Users.PostAsync(new User
        {
            AccountEnabled = true,
            DisplayName = "Adele Vance",
            MailNickname = "AdeleV",
            UserPrincipalName = "AdeleV@contoso.com",
            Mail = "AdeleV@contoso.com",
            PasswordProfile = new PasswordProfile { Password = "xWwvJ]6NMw+bWH-d", ForceChangePasswordNextSignIn = true },
        });
        var (_, afterCreate) = await RoundAsync(http, deltaLink);
        var (createdRound, _) = await RoundAsync(http, deltaLink);

        await client.Users[created!.Id].PatchAsync(new User { JobTitle = "Retail Manager" });
        var (patchedRound, afterPatch) = await RoundAsync(http, afterCreate);

        await client.Users[created.Id].DeleteAsync();
        var (deletedRound, afterDelete) = await RoundAsync(http, afterPatch);
        var deletedItems = emulator.DefaultTenant.GetDeletedUsers();

        var restored = await client.Directory.DeletedItems[created.Id].Restore.PostAsync();
        var (restoredRound, afterRestore) = await RoundAsync(http, afterDelete);

        await client.Users[created.Id].DeleteAsync();
        await client.Directory.DeletedItems[created.Id].DeleteAsync();
        var (hardRound, _) = await RoundAsync(http, afterRestore);

        Assert.Equal("Adele Vance", Assert.Single(createdRound).GetProperty("displayName").GetString());
        Assert.Equal(["SMTP:AdeleV@contoso.com"], Assert.Single(deletedItems).ProxyAddresses);
        Assert.Equal("Retail Manager", Assert.Single(patchedRound).GetProperty("jobTitle").GetString());
        Assert.Equal("changed", Assert.Single(deletedRound).GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Equal(created.Id, restored!.Id);
        Assert.False(Assert.Single(restoredRound).TryGetProperty("@removed", out _));
        Assert.Equal("deleted", Assert.Single(hardRound).GetProperty("@removed").GetProperty("reason").GetString());
        Assert.Empty(emulator.DefaultTenant.GetDeletedUsers());
    }

    [Fact]
    public async Task Changing_mail_makes_it_the_primary_smtp_address()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance", configure: u => u.ProxyAddresses.Add("SMTP:adele.vance@contoso.com")));
        using var http = emulator.CreateHttpClient();

        var (status, _) = await http.SendJsonAsync(HttpMethod.Patch, $"v1.0/users/{user.Id}", """{"mail":"adele@contoso.com"}""");

        Assert.Equal(204, status);
        Assert.Equal(["SMTP:adele@contoso.com", "smtp:adele.vance@contoso.com"], emulator.DefaultTenant.FindUser(user.Id)!.ProxyAddresses);
    }

    [Theory]
    [InlineData("""{"displayName":"No UPN"}""", "Invalid value specified for property 'userPrincipalName' of resource 'User'.")]
    [InlineData("""{"displayName":"X","userPrincipalName":"x@contoso.com","shoeSize":42}""", "Property 'shoeSize' does not exist on type 'Microsoft.DirectoryServices.User'.")]
    [InlineData("""{"displayName":"X","userPrincipalName":"x@contoso.com","proxyAddresses":["SMTP:x@contoso.com"]}""", "Property 'proxyAddresses' is read-only and cannot be set.")]
    public async Task Invalid_creates_are_400(string json, string message)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var http = emulator.CreateHttpClient();

        var (status, body) = await http.SendJsonAsync(HttpMethod.Post, "v1.0/users", json);

        Assert.Equal(400, status);
        GraphFixtures.AssertGraphError(body, "Request_BadRequest", message);
    }

    [Fact]
    public async Task Duplicate_upn_is_400()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        var client = emulator.CreateGraphClient();

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Users.PostAsync(new User { DisplayName = "Again", UserPrincipalName = "adele.vance@contoso.com" }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("userPrincipalName already exists", error.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_member_refs_add_and_remove()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        var group = emulator.DefaultTenant.AddGroup(new EmulatedGroup { DisplayName = "Sales" });
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        await client.Groups[group].Members.Ref.PostAsync(new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{user.Id}" });
        var again = await Assert.ThrowsAsync<ODataError>(() => client.Groups[group].Members.Ref.PostAsync(new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{user.Id}" }));
        var members = await client.Groups[group].Members.GetAsync();
        await client.Groups[group].Members[user.Id].Ref.DeleteAsync();
        var after = await client.Groups[group].Members.GetAsync();
        var (missing, _) = await http.SendJsonAsync(HttpMethod.Delete, $"v1.0/groups/{group}/members/{user.Id}/$ref", null);

        Assert.Equal(user.Id, Assert.Single(members!.Value!).Id);
        Assert.Equal(400, again.ResponseStatusCode);
        Assert.Empty(after!.Value!);
        Assert.Equal(404, missing);
    }

    [Fact]
    public async Task Put_photo_changes_the_etag()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        var client = emulator.CreateGraphClient();

        await client.Users[user.Id].Photo.Content.PutAsync(new MemoryStream(TenantGenerator.SamplePhoto()));
        var first = emulator.DefaultTenant.GetPhotoETag(user.Id);
        var other = TenantGenerator.SamplePhoto();
        other[^3] ^= 0x01;
        await client.Users[user.Id].Photo.Content.PutAsync(new MemoryStream(other));
        var second = emulator.DefaultTenant.GetPhotoETag(user.Id);

        Assert.NotNull(first);
        Assert.NotEqual(first, second);
    }
}

public sealed class ReadEndpointTests
{
    [Fact]
    public async Task Groups_list_get_and_unknown_group_members()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 40 });
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var groups = await client.Groups.GetAsync();
        var sales = groups!.Value!.Single(g => g.DisplayName == "Sales");
        var one = await client.Groups[sales.Id].GetAsync();
        var (missing, body, _) = await http.GetJsonAsync("v1.0/groups/00000000-0000-4000-8000-00000000dead/members");

        Assert.Equal(emulator.DefaultTenant.GetGroups().Count, groups.Value!.Count);
        Assert.Equal("sales@contoso.com", one!.Mail);
        Assert.Equal(404, missing);
        GraphFixtures.AssertGraphError(body, "Request_ResourceNotFound");
    }

    [Fact]
    public async Task Deleted_items_can_be_listed_and_read()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var user = emulator.DefaultTenant.AddUser(TestSupport.User("Adele", "Vance"));
        emulator.DefaultTenant.DeleteUser(user.Id);
        var client = emulator.CreateGraphClient();
        using var http = emulator.CreateHttpClient();

        var list = await client.Directory.DeletedItems.GraphUser.GetAsync();
        var (status, one, _) = await http.GetJsonAsync($"v1.0/directory/deletedItems/{user.Id}");
        var (gone, _, _) = await http.GetJsonAsync($"v1.0/users/{user.Id}");

        Assert.Equal(user.Id, Assert.Single(list!.Value!).Id);
        Assert.Equal(200, status);
        Assert.Equal("#microsoft.graph.user", one.GetProperty("@odata.type").GetString());
        Assert.Equal(404, gone);
    }
}
