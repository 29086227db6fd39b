using System.Text.Json;
using System.Xml.Linq;
using CsCheck;
using EntraSync.Connectivity;
using EntraSync.Email;
using EntraSync.Graph.Internal;

namespace EntraSync.Graph.Tests;

/// <summary>Microsoft's published payloads, read by the source's page reader exactly as they were published.</summary>
public sealed class FixtureParsingTests
{
    private static readonly string[] DefaultProperties =
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"];

    [Fact]
    public void Users_list_keeps_null_apart_from_absent_and_reads_empty_lists()
    {
        var page = Fixtures.Page("users-list-default-properties.json", [.. DefaultProperties, "department"]);

        Assert.Equal(["6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0", "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e"], page.Users.Select(u => u.Id));
        var room = page.Users[0];
        Assert.True(room.TryGetValue("givenName", out var given));
        Assert.Equal(DirectoryValueKind.Null, given.Kind);
        Assert.False(room.TryGetValue("department", out _));
        Assert.Equal(DirectoryValueKind.List, room.Properties["businessPhones"].Kind);
        Assert.Empty(room.GetList("businessPhones"));
        var admin = page.Users[1];
        Assert.Equal(DirectoryValueKind.Null, admin.Properties["MAIL"].Kind);
        Assert.Equal(["425-555-0100"], admin.GetList("businessPhones"));
        Assert.Equal("admin@contoso.com", admin.GetString("userPrincipalName"));
        Assert.Null(page.NextLink);
        Assert.Empty(page.Rejected);
    }

    [Fact]
    public void Only_selected_properties_are_kept_and_unknown_ones_are_ignored()
    {
        var page = Fixtures.Page("users-list-default-properties.json", "displayName");

        Assert.All(page.Users, u => Assert.Equal(["displayName"], u.Properties.Keys));
    }

    [Fact]
    public void The_sandbox_page_reads_every_user()
    {
        var page = Fixtures.Page("users-list-sandbox-single-page.json", DefaultProperties);

        Assert.Equal(31, page.Users.Count);
        Assert.Empty(page.Rejected);
        Assert.Null(page.NextLink);
        Assert.All(page.Users, u => Assert.True(Guid.TryParse(u.Id, out _)));
        Assert.Equal("Product Marketing Manager", page.Users.Single(u => u.Id == "87d349ed-44d7-43e1-9a83-5f2406dee5bd").GetString("jobTitle"));
    }

    [Fact]
    public void The_next_link_is_kept_verbatim()
    {
        var page = Fixtures.Page("users-list-page1-nextlink.COMPOSED.json", DefaultProperties);

        Assert.Equal("https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=RFNwdAIAAQAAAD8AAAAAAAA", page.NextLink);
        Assert.Equal(2, page.Users.Count);
    }

    [Fact]
    public void Initial_delta_page_has_users_a_permanent_removal_and_omits_never_set_properties()
    {
        var page = Fixtures.Page("users-delta-initial-page-nextlink-with-removed.json", "displayName", "givenName", "surname");

        Assert.Equal(3, page.Users.Count);
        var removal = Assert.Single(page.Removed);
        Assert.Equal("86462606-fde0-4fc4-9e0c-a20eb73e54c6", removal.Id);
        Assert.Equal(DirectoryRemovalReason.Deleted, removal.Reason);
        var room = page.Users.Single(u => u.Id == "6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0");
        Assert.False(room.TryGetValue("givenName", out _));
        Assert.StartsWith("https://graph.microsoft.com/v1.0/users/delta?$skiptoken=oEBwdSP6", page.NextLink, StringComparison.Ordinal);
        Assert.Null(page.DeltaLink);
    }

    [Fact]
    public void Delta_rounds_end_with_a_delta_link_even_when_empty()
    {
        var last = Fixtures.Page("users-delta-page3-final-deltalink.json", "displayName");
        var none = Fixtures.Page("users-delta-deltalink-no-changes.json", "displayName");
        var middle = Fixtures.Page("users-delta-page2-nextlink.json", "displayName");

        Assert.Null(last.NextLink);
        Assert.StartsWith("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=oEcOySpF", last.DeltaLink, StringComparison.Ordinal);
        Assert.Empty(none.Users);
        Assert.NotNull(none.DeltaLink);
        Assert.Equal(2, middle.Users.Count);
        Assert.NotNull(middle.NextLink);
    }

    [Fact]
    public void A_removal_with_reason_changed_is_a_soft_delete()
    {
        var page = Fixtures.Page("users-delta-deltalink-changes-with-removed-changed.json", "displayName", "givenName", "surname");

        Assert.Equal("MOD", Assert.Single(page.Users).GetString("givenName"));
        var removal = Assert.Single(page.Removed);
        Assert.Equal(DirectoryRemovalReason.SoftDeleted, removal.Reason);
        Assert.Equal("8ffff70c-1c63-4860-b963-e34ec660931d", removal.Id);
    }

    [Fact]
    public void A_page_with_a_record_without_an_id_is_refused_because_its_user_cannot_be_told_from_a_leaver()
    {
        // Microsoft's published samples trim ids; a real page never lacks one, and a page that does is not trusted.
        var minimal = Assert.Throws<GraphResponseException>(() => Fixtures.Page("user-delta-minimal-return-nextlink.json", "displayName", "jobTitle"));
        var identities = Assert.Throws<GraphResponseException>(() => new GraphPageReader(PropertySchema.Create(["displayName", "identities"])).ReadEntity(Fixtures.Bytes("user-get-select-identities.json")));

        Assert.Contains("'Vance Adele' in the response has no id", minimal.Message, StringComparison.Ordinal);
        Assert.Contains("has no id", identities.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "no \"value\" list")]
    [InlineData("""{"value":null}""", "\"value\" is null")]
    [InlineData("""{"value":{}}""", "\"value\" is an object")]
    [InlineData("""{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[],"error":{"code":"generalException","message":"General failure"}}""", "an error, not a page (generalException: General failure)")]
    [InlineData("""{"error":{"code":"UnknownError","message":""}}""", "an error, not a page (UnknownError)")]
    [InlineData("""{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups","value":[{"id":"g"}]}""", "a list of groups")]
    [InlineData("""{"value":[{"id":"a"},42]}""", "holds a number where a user record was expected")]
    [InlineData("""{"value":[{"id":"a"},null]}""", "holds null where a user record was expected")]
    [InlineData("""{"value":[{"id":7}]}""", "its id is a number")]
    [InlineData("""{"value":[{"id":""}]}""", "has no id")]
    [InlineData("""{"value":[{"id":"x","@removed":{"reason":"changed"}},{"@removed":{"reason":"deleted"}}]}""", "a removed user in the response has no id")]
    [InlineData("""{"value":[{"@odata.type":"#microsoft.graph.group","displayName":"G"}]}""", "a member in the response has no id")]
    public void Only_a_well_formed_page_counts_as_a_page(string json, string reason)
    {
        var error = Assert.Throws<GraphResponseException>(() => new GraphPageReader(PropertySchema.Create(["displayName"])).Read(System.Text.Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_with_an_error_member_is_refused_when_read_from_the_stream_in_small_pieces()
    {
        var json = """{"value":[{"id":"a","displayName":"A"}],"error":{"code":"serviceNotAvailable","message":"Try later"}}"""u8.ToArray();

        var error = await Assert.ThrowsAsync<GraphResponseException>(async () => await new GraphPageReader(PropertySchema.Create(["displayName"])).ReadAsync(new ChunkedStream(json, 3), CancellationToken.None));

        Assert.Contains("serviceNotAvailable: Try later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_bigger_than_the_limit_is_refused_as_it_arrives()
    {
        var bytes = Fixtures.Bytes("users-list-sandbox-single-page.json");
        var reader = new GraphPageReader(PropertySchema.Create(DefaultProperties)) { MaxPageBytes = bytes.Length - 1 };

        var error = await Assert.ThrowsAsync<GraphResponseTooLargeException>(async () => await reader.ReadAsync(new ChunkedStream(bytes, 512), CancellationToken.None));

        Assert.Contains("GraphSourceOptions.MaxPageBytes", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty((await new GraphPageReader(PropertySchema.Create(DefaultProperties)) { MaxPageBytes = bytes.Length }.ReadAsync(new ChunkedStream(bytes, 512), CancellationToken.None)).Users);
    }

    [Fact]
    public void A_record_whose_text_is_not_valid_unicode_is_rejected_with_its_id_so_it_is_not_taken_for_a_leaver()
    {
        var json = """{"value":[{"id":"u1","displayName":"Bad \ud800 text"},{"id":"u2","displayName":"Fine"}]}"""u8.ToArray();

        var page = new GraphPageReader(PropertySchema.Create(["displayName"])).Read(json);

        Assert.Equal("u2", Assert.Single(page.Users).Id);
        var rejected = Assert.Single(page.Rejected);
        Assert.Equal("u1", rejected.Id);
        Assert.Contains("not valid Unicode", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_user_entity_is_read()
    {
        var page = new GraphPageReader(PropertySchema.Create(DefaultProperties)).ReadEntity(Fixtures.Bytes("user-get-default-properties.json"));

        var user = Assert.Single(page.Users);
        Assert.Equal("87d349ed-44d7-43e1-9a83-5f2406dee5bd", user.Id);
        Assert.Equal("18/2111", user.GetString("officeLocation"));
    }

    [Fact]
    public void Extension_attributes_are_flattened_with_their_nulls_and_the_count_is_read()
    {
        var empty = Fixtures.Page("users-list-select-onpremisesextensionattributes.json", "displayName", "userPrincipalName", "onPremisesExtensionAttributes");
        var filtered = Fixtures.Page("users-list-filter-extensionattributes-count.json", "displayName", "userPrincipalName", "onPremisesExtensionAttributes");

        var user = Assert.Single(empty.Users);
        for (var i = 1; i <= 15; i++)
        {
            Assert.Equal(DirectoryValueKind.Null, user.Properties[$"onPremisesExtensionAttributes/extensionAttribute{i}"].Kind);
        }

        var adele = Assert.Single(filtered.Users);
        Assert.Equal("AwesomeAdele", adele.GetString("onpremisesextensionattributes/EXTENSIONATTRIBUTE15"));
        Assert.Equal(DirectoryValueKind.Null, adele.Properties["onPremisesExtensionAttributes/extensionAttribute1"].Kind);
        Assert.Equal(1, filtered.Count);
    }

    [Fact]
    public void Sign_in_activity_keeps_empty_and_zero_date_times_as_text()
    {
        var page = Fixtures.Page("users-list-select-signinactivity.json", "displayName", "signInActivity");

        var adele = page.Users[0];
        Assert.Equal("0001-01-01T00:00:00Z", adele.GetString("signInActivity/lastNonInteractiveSignInDateTime"));
        Assert.Equal("", adele.GetString("signInActivity/lastSuccessfulSignInDateTime"));
    }

    [Fact]
    public void Directory_objects_of_other_types_are_skipped()
    {
        var page = Fixtures.Page("directoryobjects-delta-users-and-groups-nextlink.json", "displayName", "mail");
        var members = Fixtures.Page("group-transitivemembers-list.json", "mail");
        var cast = Fixtures.Page("group-transitivemembers-odatacast-user-search-select.json", "displayName");

        Assert.Equal("87d349ed-44d7-43e1-9a83-5f2406dee5bd", Assert.Single(page.Users).Id);
        Assert.Empty(page.Rejected);
        Assert.Equal("group1@contoso.com", Assert.Single(members.Users).GetString("mail"));
        Assert.Equal(7, cast.Count);
        Assert.Equal("Joseph Price", Assert.Single(cast.Users).GetString("displayName"));
    }

    [Fact]
    public void Group_payloads_with_member_annotations_parse()
    {
        var withMembers = Fixtures.Groups("groups-delta-deltalink-members-delta-removed.json", "displayName");
        var count = Fixtures.Groups("group-transitivemembers-odatacast-group-count.json", "displayName");

        Assert.Equal("TestGroup3", Assert.Single(withMembers.Users).GetString("displayName"));
        Assert.NotNull(withMembers.DeltaLink);
        Assert.Equal(2, count.Count);
        Assert.Contains("has no id", Assert.Throws<GraphResponseException>(() => Fixtures.Groups("groups-delta-members-delta-nextlink.json", "displayName")).Message, StringComparison.Ordinal);
        Assert.Contains("a list of groups, not of users", Assert.Throws<GraphResponseException>(() => Fixtures.Page("groups-delta-deltalink-members-delta-removed.json", "displayName")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_primary_SMTP_address_wins_over_SPO_entries_in_real_proxy_addresses()
    {
        var page = Fixtures.Groups("groups-list-sandbox-proxyaddresses.json", "mail", "proxyAddresses");

        Assert.Equal(49, page.Users.Count);
        foreach (var group in page.Users)
        {
            var primary = group.GetList("proxyAddresses").Single(p => p.StartsWith("SMTP:", StringComparison.Ordinal))[5..];
            Assert.Equal(primary, EmailResolver.FromProxyAddresses(group.GetList("proxyAddresses")));
        }
    }

    [Fact]
    public void Organization_gives_the_tenant_name_and_default_domain()
    {
        using var list = JsonDocument.Parse(Fixtures.Bytes("organization-list.json"));
        using var single = JsonDocument.Parse(Fixtures.Bytes("organization-get.json"));

        var fromList = DirectoryConnectivityChecker.ParseOrganization(list.RootElement);
        var fromGet = DirectoryConnectivityChecker.ParseOrganization(single.RootElement);

        Assert.Equal("Contoso", fromList.DisplayName);
        Assert.Equal("Contoso.onmicrosoft.com", fromList.DefaultDomain);
        Assert.Equal("84841066-274d-4ec0-a5c1-276be684bdd3", fromList.Id);
        Assert.Equal("Contoso.com", fromGet.DefaultDomain);
        Assert.Equal("Contoso.com", fromGet.InitialDomain);
    }

    [Fact]
    public void Photo_metadata_keeps_the_quoted_etag_and_the_no_photo_answer_is_no_photo()
    {
        using var photo = JsonDocument.Parse(Fixtures.Bytes("profilephoto-get-metadata.json"));
        using var none = JsonDocument.Parse(Fixtures.Bytes("profilephoto-get-metadata-no-photo-uploaded.json"));

        var metadata = GraphDirectorySource.ReadPhotoMetadata(photo.RootElement);

        Assert.Equal("\"BA09D118\"", metadata!.ETag);
        Assert.Equal("image/jpeg", metadata.ContentType);
        Assert.Null(GraphDirectorySource.ReadPhotoMetadata(none.RootElement));
    }

    [Fact]
    public void Known_property_shapes_agree_with_the_published_CSDL()
    {
        var xml = XDocument.Parse(Fixtures.Text("metadata-v1.0-user-and-related-types.xml"));
        var user = xml.Descendants().First(e => e.Name.LocalName == "EntityType" && (string?)e.Attribute("Name") == "user");
        var checkedCount = 0;
        foreach (var property in user.Elements().Where(e => e.Name.LocalName == "Property"))
        {
            var name = (string)property.Attribute("Name")!;
            var type = (string)property.Attribute("Type")!;
            var kind = UserPropertyKinds.Get(name);
            if (kind == PropertyKind.Any)
            {
                continue;
            }

            var expected = type switch
            {
                "Collection(Edm.String)" => PropertyKind.TextList,
                _ when type.StartsWith("Collection(", StringComparison.Ordinal) => PropertyKind.ObjectList,
                "Edm.Boolean" => PropertyKind.Boolean,
                _ when type.StartsWith("Edm.", StringComparison.Ordinal) => PropertyKind.Text,
                _ => PropertyKind.Object,
            };
            Assert.True(expected == kind, $"{name}: CSDL type {type}, table says {kind}");
            checkedCount++;
        }

        Assert.True(checkedCount > 40, $"only {checkedCount} properties were compared");
    }

    [Fact]
    public void A_value_of_the_wrong_type_rejects_the_record_with_the_property_named()
    {
        var json = """{"value":[{"id":"a","givenName":42},{"id":"b","businessPhones":"555"},{"id":"c","givenName":"Ok"}]}"""u8.ToArray();

        var page = new GraphPageReader(PropertySchema.Create(["givenName", "businessPhones"])).Read(json);

        Assert.Equal("c", Assert.Single(page.Users).Id);
        Assert.Contains(page.Rejected, r => r.Id == "a" && r.Reason.Contains("'givenName' is a number", StringComparison.Ordinal));
        Assert.Contains(page.Rejected, r => r.Id == "b" && r.Reason.Contains("'businessPhones' is text", StringComparison.Ordinal));
        Assert.Equal(2, page.Rejected.Count);
    }

    [Fact]
    public void Licences_become_a_list_of_sku_ids()
    {
        var json = """{"value":[{"id":"a","assignedLicenses":[{"disabledPlans":[],"skuId":"c7df2760-2c81-4ef7-b578-5b5392b571df"},{"skuId":"b05e124f-c7cc-45a0-a6aa-8cf78c946968","disabledPlans":["x"]}]}]}"""u8.ToArray();

        var page = new GraphPageReader(PropertySchema.Create(["assignedLicenses"])).Read(json);

        Assert.Equal(["c7df2760-2c81-4ef7-b578-5b5392b571df", "b05e124f-c7cc-45a0-a6aa-8cf78c946968"], Assert.Single(page.Users).GetList("assignedLicenses"));
    }

    [Fact]
    public async Task Reading_in_any_chunk_size_gives_the_same_users_as_reading_at_once()
    {
        var names = new[] { "users-list-sandbox-single-page.json", "users-delta-initial-page-nextlink-with-removed.json", "users-list-filter-extensionattributes-count.json", "groups-list-sandbox-proxyaddresses.json" };
        string[] select = [.. DefaultProperties, "onPremisesExtensionAttributes", "proxyAddresses"];
        foreach (var name in names)
        {
            var bytes = Fixtures.Bytes(name);
            string[] collections = name.StartsWith("groups", StringComparison.Ordinal) ? ["groups"] : ["users"];
            var expected = Describe.Page(new GraphPageReader(PropertySchema.Create(select)) { ExpectedCollections = collections }.Read(bytes));
            await Gen.Int[1, 9000].SampleAsync(async chunk =>
            {
                var page = await new GraphPageReader(PropertySchema.Create(select)) { ExpectedCollections = collections }.ReadAsync(new ChunkedStream(bytes, chunk), CancellationToken.None);
                Assert.Equal(expected, Describe.Page(page));
            }, iter: 40);
        }
    }

    [Fact]
    public async Task A_body_cut_off_anywhere_is_an_error_not_a_shorter_page()
    {
        var bytes = Fixtures.Bytes("users-list-sandbox-single-page.json");
        var end = Array.FindLastIndex(bytes, b => b == (byte)'}');
        await Gen.Int[0, end].SampleAsync(async cut =>
        {
            var reader = new GraphPageReader(PropertySchema.Create(DefaultProperties));
            await Assert.ThrowsAsync<GraphResponseException>(async () => await reader.ReadAsync(new ChunkedStream(bytes, 1024, cut), CancellationToken.None));
        }, iter: 200);
    }

    [Theory]
    [MemberData(nameof(CollectionFixtures))]
    public async Task Every_published_collection_is_read_as_a_page_of_users_or_refused_with_a_reason(string name)
    {
        var bytes = Fixtures.Bytes(name);
        var reader = new GraphPageReader(PropertySchema.Create([]));

        if (IsWellFormedUserPage(bytes))
        {
            var page = await reader.ReadAsync(new MemoryStream(bytes), CancellationToken.None);
            Assert.True(page.Users.Count + page.Removed.Count + page.Rejected.Count > 0 || page.DeltaLink is not null, name);
        }
        else
        {
            var error = await Assert.ThrowsAsync<GraphResponseException>(async () => await reader.ReadAsync(new MemoryStream(bytes), CancellationToken.None));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    /// <summary>The rule, checked independently with JsonDocument: a list of users or directory objects, each an object with an id.</summary>
    private static bool IsWellFormedUserPage(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.TryGetProperty("@odata.context", out var context)
            && context.GetString() is { } text && text.Contains('#', StringComparison.Ordinal)
            && !(text[(text.IndexOf('#', StringComparison.Ordinal) + 1)..].StartsWith("users", StringComparison.Ordinal) || text[(text.IndexOf('#', StringComparison.Ordinal) + 1)..].StartsWith("directoryObjects", StringComparison.Ordinal)))
        {
            return false;
        }

        return root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0);
    }

    public static TheoryData<string> CollectionFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.JsonFiles().Where(n => !n.StartsWith("error-", StringComparison.Ordinal)).Where(n => n.Contains("list", StringComparison.Ordinal) || n.Contains("delta", StringComparison.Ordinal) || n.Contains("transitivemembers", StringComparison.Ordinal)))
        {
            data.Add(name);
        }

        return data;
    }
}
