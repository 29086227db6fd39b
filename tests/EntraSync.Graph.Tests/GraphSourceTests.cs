using EntraSync.Email;
using EntraSync.Testing.Emulator;

namespace EntraSync.Graph.Tests;

/// <summary>The Graph source through the emulator with the real Microsoft.Graph client and its pipeline.</summary>
public sealed class GraphSourceTests
{
    [Fact]
    public async Task A_full_read_takes_a_latest_delta_link_then_pages_users_999_at_a_time_selecting_exactly_what_is_needed()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2100 });
        using var source = Emulator.Source();

        var pages = await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator), properties: ["id", "displayName", "mail"]));

        Assert.Equal(3, pages.Count);
        Assert.Equal(2100, pages.Users().Select(u => u.Id).Distinct().Count());
        var completion = pages.Completion();
        Assert.True(completion.IsFullEnumeration);
        Assert.Contains("deltatoken", completion.Checkpoint!.Value, StringComparison.OrdinalIgnoreCase);
        var graph = emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("/v1.0/users/delta", graph[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("deltatoken=latest", graph[0].PathAndQuery, StringComparison.Ordinal);
        var first = Uri.UnescapeDataString(graph[1].PathAndQuery);
        Assert.Contains("$top=999", first, StringComparison.Ordinal);
        Assert.Contains("$select=id,displayName,mail", first, StringComparison.Ordinal);
        Assert.Equal(3, graph.Count(r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal)));
        Assert.All(pages.Users(), u => Assert.Equal(["displayName", "mail"], u.Properties.Keys.Order(StringComparer.Ordinal)));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task A_filter_needing_an_advanced_query_sends_ConsistencyLevel_and_count_on_every_page()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2500 });
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "department ne 'Sales'");

        var pages = await source.ReadAllAsync(Emulator.Request(profile, properties: ["id", "displayName"]));

        var users = pages.Users();
        Assert.NotEmpty(users);
        Assert.All(users, u => Assert.NotEqual("Sales", u.GetString("department")));
        Assert.Equal(emulator.DefaultTenant.GetUsers().Count(u => u.Department != "Sales"), users.Count);
        var lists = emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal)).ToList();
        Assert.True(lists.Count >= 2);
        Assert.All(lists, r => Assert.Equal("eventual", r.Header("ConsistencyLevel")));
        Assert.All(lists, r => Assert.Contains("$count=true", Uri.UnescapeDataString(r.PathAndQuery), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_email_rule_works_on_users_read_from_Graph()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var withMail = tenant.AddUser(Emulator.Person("Mia", "Mail"));
        var primary = tenant.AddUser(Emulator.Person("Pia", "Primary", u =>
        {
            u.Mail = null;
            u.ProxyAddresses.Add("SPO:SPO_1@SPO_2");
            u.ProxyAddresses.Add("smtp:alias@contoso.com");
            u.ProxyAddresses.Add("SMTP:pia@contoso.com");
        }));
        var secondary = tenant.AddUser(Emulator.Person("Sam", "Secondary", u =>
        {
            u.Mail = null;
            u.ProxyAddresses.Add("X400:c=US;a= ;p=Contoso");
            u.ProxyAddresses.Add("smtp:sam@contoso.com");
        }));
        var other = tenant.AddUser(Emulator.Person("Olle", "Other", u =>
        {
            u.Mail = null;
            u.OtherMails.Add("olle@gmail.com");
        }));
        var upnOnly = tenant.AddUser(Emulator.Person("Una", "Upn", u => u.Mail = null));
        var guest = tenant.AddUser(Emulator.Person("Gus", "Guest", u =>
        {
            u.Mail = null;
            u.UserType = "Guest";
            u.UserPrincipalName = "gus_gmail.com#EXT#@contoso.onmicrosoft.com";
        }));
        using var source = Emulator.Source();

        var users = (await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator)))).Users().ToDictionary(u => u.Id);
        string? Resolve(EmulatedUser u, EmailResolutionOptions? options = null) => EmailResolver.Resolve(users[u.Id], options ?? new());

        Assert.Equal("mia.mail@contoso.com", Resolve(withMail));
        Assert.Equal("pia@contoso.com", Resolve(primary));
        Assert.Equal("sam@contoso.com", Resolve(secondary));
        Assert.Equal("olle@gmail.com", Resolve(other));
        Assert.Null(Resolve(upnOnly));
        Assert.Equal("una.upn@contoso.com", Resolve(upnOnly, new() { UseUserPrincipalName = true }));
        Assert.Null(Resolve(guest, new() { UseUserPrincipalName = true }));
        Assert.Equal("gus_gmail.com#EXT#@contoso.onmicrosoft.com", Resolve(guest, new() { UseUserPrincipalName = true, UseGuestUserPrincipalName = true }));
        Assert.Null(Resolve(primary, new() { UseProxyAddresses = false }));
    }

    [Fact]
    public async Task Group_scope_reads_direct_or_transitive_members_as_a_union_with_memberOf()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var ann = tenant.AddUser(Emulator.Person("Ann", "A"));
        var bob = tenant.AddUser(Emulator.Person("Bob", "B"));
        var cid = tenant.AddUser(Emulator.Person("Cid", "C"));
        tenant.AddUser(Emulator.Person("Out", "Side"));
        var nested = tenant.AddGroup(new EmulatedGroup { DisplayName = "Nested" });
        var top = tenant.AddGroup(new EmulatedGroup { DisplayName = "Top" });
        var other = tenant.AddGroup(new EmulatedGroup { DisplayName = "Other" });
        tenant.AddMembers(top, [ann.Id, nested]);
        tenant.AddMembers(nested, [bob.Id]);
        tenant.AddMembers(other, [ann.Id, cid.Id]);
        using var source = Emulator.Source();
        string[] properties = [.. Emulator.Properties, DirectoryUser.MemberOfProperty];

        var transitive = (await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator, configure: p => p.Scope.GroupIds = [top, other]), properties: properties))).ToList();
        var direct = (await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator, configure: p =>
        {
            p.Scope.GroupIds = [top];
            p.Scope.IncludeNestedGroups = false;
        })))).Users();

        var users = transitive.Users();
        Assert.Equal(new[] { ann.Id, bob.Id, cid.Id }.Order(), users.Select(u => u.Id).Order());
        Assert.Equal(["Other", "Top"], users.Single(u => u.Id == ann.Id).GetList(DirectoryUser.MemberOfProperty).Order(StringComparer.Ordinal));
        Assert.Equal(["Top"], users.Single(u => u.Id == bob.Id).GetList(DirectoryUser.MemberOfProperty));
        var completion = transitive.Completion();
        Assert.True(completion.IsFullEnumeration);
        Assert.Null(completion.Checkpoint);
        Assert.Equal([ann.Id], direct.Select(u => u.Id));
        Assert.All(emulator.Requests.Where(r => r.PathAndQuery.Contains("Members/microsoft.graph.user", StringComparison.OrdinalIgnoreCase)), r => Assert.Equal("eventual", r.Header("ConsistencyLevel")));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task Group_scope_never_continues_a_delta_link_and_says_why()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        var group = emulator.DefaultTenant.AddGroup(new EmulatedGroup { DisplayName = "G" });
        emulator.DefaultTenant.AddMembers(group, emulator.DefaultTenant.GetUsers().Take(2).Select(u => u.Id));
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.GroupIds = [group]);

        var pages = await source.ReadAllAsync(Emulator.Request(profile, new SyncCheckpoint { Value = emulator.GraphBaseUrl + "/users/delta?$deltatoken=x" }));

        var completion = pages.Completion();
        Assert.True(completion.IsFullEnumeration);
        Assert.Contains("group", completion.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(2, pages.Users().Count);
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.Contains("/delta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_group_fails_naming_the_group_and_the_setting()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var source = Emulator.Source();

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator, configure: p => p.Scope.GroupIds = ["0f0f0f0f-0000-0000-0000-000000000000"]))));

        Assert.Equal(DirectoryErrorKind.NotFound, error.Kind);
        Assert.Contains("0f0f0f0f-0000-0000-0000-000000000000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Scope:GroupIds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incremental_reads_deliver_changes_and_both_kinds_of_removal()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 30 });
        var tenant = emulator.DefaultTenant;
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator);
        var checkpoint = (await source.ReadAllAsync(Emulator.Request(profile))).Completion().Checkpoint!;
        var people = tenant.GetUsers();
        tenant.UpdateUser(people[0].Id, u => u.JobTitle = "Chief Tester");
        tenant.DeleteUser(people[1].Id);
        tenant.DeleteUser(people[2].Id);
        tenant.PermanentlyDeleteUser(people[2].Id);

        var pages = await source.ReadAllAsync(Emulator.Request(profile, checkpoint));

        var completion = pages.Completion();
        Assert.False(completion.IsFullEnumeration);
        Assert.Null(completion.FallbackReason);
        Assert.NotEqual(checkpoint.Value, completion.Checkpoint!.Value);
        Assert.Equal("Chief Tester", Assert.Single(pages.Users()).GetString("jobTitle"));
        var removed = pages.SelectMany(p => p.Removed).ToDictionary(r => r.Id, r => r.Reason);
        Assert.Equal(DirectoryRemovalReason.SoftDeleted, removed[people[1].Id]);
        Assert.Equal(DirectoryRemovalReason.Deleted, removed[people[2].Id]);

        var quiet = await source.ReadAllAsync(Emulator.Request(profile, completion.Checkpoint));
        Assert.Empty(quiet.Users());
        Assert.Empty(quiet.SelectMany(p => p.Removed));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task An_expired_delta_link_falls_back_to_a_full_read_and_says_so()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 12 });
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator);
        var checkpoint = (await source.ReadAllAsync(Emulator.Request(profile))).Completion().Checkpoint!;
        emulator.DefaultTenant.ExpireDeltaTokens();

        var pages = await source.ReadAllAsync(Emulator.Request(profile, checkpoint));

        var completion = pages.Completion();
        Assert.True(completion.IsFullEnumeration);
        Assert.Contains("expired", completion.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(12, pages.Users().Count);
        Assert.NotNull(completion.Checkpoint);
        Assert.Contains(emulator.Requests, r => r.StatusCode == 400 && r.PathAndQuery.Contains("/users/delta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_synchronization_reset_410_falls_back_to_a_full_read_and_says_so()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 12 });
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator);
        var checkpoint = (await source.ReadAllAsync(Emulator.Request(profile))).Completion().Checkpoint!;
        emulator.DefaultTenant.ResetDeltaState();

        var pages = await source.ReadAllAsync(Emulator.Request(profile, checkpoint));

        var completion = pages.Completion();
        Assert.True(completion.IsFullEnumeration);
        Assert.Contains("410", completion.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(12, pages.Users().Count);
        Assert.Contains(emulator.Requests, r => r.StatusCode == 410);
    }

    [Fact]
    public async Task The_filter_is_applied_to_delta_results_and_users_leaving_it_are_reported_out_of_scope()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var sally = tenant.AddUser(Emulator.Person("Sally", "Sales", u => u.Department = "Sales"));
        var harry = tenant.AddUser(Emulator.Person("Harry", "Hr", u => u.Department = "HR"));
        var steve = tenant.AddUser(Emulator.Person("Steve", "Sales", u => u.Department = "Sales"));
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "department eq 'Sales'");
        var full = await source.ReadAllAsync(Emulator.Request(profile, properties: ["id", "displayName"]));
        Assert.Equal(new[] { sally.Id, steve.Id }.Order(), full.Users().Select(u => u.Id).Order());
        tenant.UpdateUser(sally.Id, u => u.Department = "HR");
        tenant.UpdateUser(harry.Id, u => u.Department = "Sales");
        tenant.UpdateUser(steve.Id, u => u.JobTitle = "Lead");

        var pages = await source.ReadAllAsync(Emulator.Request(profile, full.Completion().Checkpoint, ["id", "displayName"]));

        // Steve's job title is not selected, so delta does not track it (Graph tracks selected properties only).
        Assert.Equal([harry.Id], pages.Users().Select(u => u.Id));
        var exit = Assert.Single(pages.SelectMany(p => p.OutOfScope));
        Assert.Equal(sally.Id, exit.Id);
        Assert.Contains("department eq 'Sales'", exit.Reason, StringComparison.Ordinal);
        Assert.False(pages.Completion().IsFullEnumeration);
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.Contains("/delta", StringComparison.Ordinal) && r.PathAndQuery.Contains("filter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_filter_that_cannot_be_evaluated_on_delta_results_keeps_reading_in_full_with_a_clear_reason()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 10 });
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Scope.ODataFilter = "accountEnabled eq true");
        var checkpoint = (await source.ReadAllAsync(Emulator.Request(profile))).Completion().Checkpoint!;
        profile.Scope.ODataFilter = "assignedLicenses/$count ne 0";

        emulator.ClearRequests();
        List<DirectoryPage>? pages = null;
        var error = await Record.ExceptionAsync(async () => pages = await source.ReadAllAsync(Emulator.Request(profile, checkpoint)));

        // The saved delta link is not followed; the emulator may or may not serve collection counts server-side.
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.Contains("/delta", StringComparison.Ordinal) && !r.PathAndQuery.Contains("latest", StringComparison.Ordinal));
        if (error is null)
        {
            Assert.Contains("$count", pages!.Completion().FallbackReason, StringComparison.Ordinal);
            Assert.Null(pages!.Completion().Checkpoint);
        }
        else
        {
            Assert.Equal(DirectoryErrorKind.InvalidQuery, Assert.IsType<DirectoryException>(error).Kind);
        }
    }

    [Fact]
    public async Task Photos_carry_the_media_etag_and_are_downloaded_on_request()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var pictured = tenant.AddUser(Emulator.Person("Pic", "Tured"));
        var plain = tenant.AddUser(Emulator.Person("No", "Photo"));
        var jpeg = MinimalJpeg();
        tenant.SetPhoto(pictured.Id, jpeg, 1, 1);
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true);
        var request = Emulator.Request(profile);

        var users = (await source.ReadAllAsync(request)).Users().ToDictionary(u => u.Id);
        var photo = await source.GetPhotoAsync(request, pictured.Id);

        Assert.Equal(tenant.GetPhotoETag(pictured.Id), users[pictured.Id].Photo!.ETag);
        Assert.StartsWith("\"", users[pictured.Id].Photo!.ETag, StringComparison.Ordinal);
        Assert.Null(users[plain.Id].Photo);
        Assert.Equal(jpeg, photo!.Content!.Value.ToArray());
        Assert.Equal("image/jpeg", photo.ContentType);
        Assert.Null(await source.GetPhotoAsync(request, plain.Id));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task Reading_photos_without_permission_fails_naming_ProfilePhoto_Read_All()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        emulator.DefaultTenant.DenyPermission("ProfilePhoto.Read.All");
        using var source = Emulator.Source();

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true))));

        Assert.Equal(DirectoryErrorKind.PermissionMissing, error.Kind);
        Assert.Equal("ProfilePhoto.Read.All", error.MissingPermission);
    }

    [Fact]
    public async Task Throttling_with_a_fractional_Retry_After_and_5xx_are_retried_through_the_SDK_pipeline()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1500 });
        using var source = Emulator.Source();
        emulator.Faults.Status = 429;
        emulator.Faults.RetryAfterSeconds = 0.25;
        emulator.Faults.Count = 2;
        emulator.Faults.PathContains = "/users";

        var throttled = await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator)));
        emulator.Faults.Reset();
        emulator.Faults.Status = 503;
        emulator.Faults.Count = 2;
        emulator.Faults.PathContains = "/users";
        var unavailable = await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator)));

        Assert.Equal(1500, throttled.Users().Count);
        Assert.Equal(1500, unavailable.Users().Count);
        Assert.Equal(2, emulator.Requests.Count(r => r.StatusCode == 429));
        Assert.Equal(2, emulator.Requests.Count(r => r.StatusCode == 503));
        Assert.All(emulator.Requests.Where(r => r.Header("Retry-Attempt") is not null), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Throttling_beyond_the_retries_fails_the_read_as_throttled()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 5 });
        using var source = Emulator.Source(new GraphSourceOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
        emulator.Faults.Status = 429;
        emulator.Faults.RetryAfterSeconds = 0.01;

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator))));

        Assert.Equal(DirectoryErrorKind.Throttled, error.Kind);
        Assert.Equal(3, emulator.Requests.Count(r => r.StatusCode == 429));
    }

    [Fact]
    public async Task A_page_cut_off_once_is_asked_for_again_and_nothing_is_lost_or_doubled()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2000 });
        using var source = Emulator.Source();
        var pages = new List<DirectoryPage>();

        // The second page's body is cut off once. Chosen by its $skiptoken before the read, not set after the first
        // page arrives: the source reads ahead, so by then the next pages may be read already (it failed 1 run in CI).
        emulator.Faults.CutOffRate = 1;
        emulator.Faults.Count = 1;
        emulator.Faults.PathContains = "skiptoken";
        await foreach (var page in source.ReadUsersAsync(Emulator.Request(Emulator.Profile(emulator))))
        {
            pages.Add(page);
        }

        Assert.Equal(2000, pages.Users().Select(u => u.Id).Distinct().Count());
        Assert.Equal(2000, pages.Users().Count);
        Assert.True(pages.Completion().IsFullEnumeration);
        Assert.Single(emulator.Requests, r => r.Fault == "cutOff");
    }

    [Fact]
    public async Task A_body_cut_off_every_time_ends_the_read_incomplete_without_a_completion()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2000 });
        using var source = Emulator.Source();
        var pages = new List<DirectoryPage>();

        var error = await Assert.ThrowsAsync<DirectoryException>(async () =>
        {
            await foreach (var page in source.ReadUsersAsync(Emulator.Request(Emulator.Profile(emulator))))
            {
                pages.Add(page);
                emulator.Faults.CutOffRate = 1;
            }
        });

        Assert.Equal(DirectoryErrorKind.InvalidResponse, error.Kind);
        Assert.True(error.IsTransient);
        Assert.Contains("nobody was removed", error.Message, StringComparison.Ordinal);

        // Page 2's request may have been sent ahead, and answered whole, before the fault was switched on; page 3's
        // cannot. Either way the read never completes.
        Assert.InRange(pages.Count, 1, 2);
        Assert.All(pages, page => Assert.Null(page.Completion));

        // The failing page was asked for MaxPageAttempts times; a cut-off body that got as far as its nextLink also sent
        // the next page's request ahead (cut off too), which is not a retry.
        Assert.Equal(new GraphSourceOptions().MaxPageAttempts, emulator.Requests.Where(r => r.Fault == "cutOff").GroupBy(r => r.PathAndQuery).Max(g => g.Count()));
    }

    [Fact]
    public async Task The_next_page_is_requested_while_the_current_one_is_still_being_handled()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2500 });
        using var source = Emulator.Source();
        var request = Emulator.Request(Emulator.Profile(emulator));
        await using var pages = source.ReadUsersAsync(request).GetAsyncEnumerator();
        Assert.True(await pages.MoveNextAsync());

        // The consumer still holds page 1; the request for page 2 went out when page 1's nextLink was read (it may
        // arrive before or after MoveNextAsync returns), and nothing further goes out until the consumer moves on.
        await Eventually.WaitUntilAsync(() => UserPageRequests(emulator) >= 2, TimeSpan.FromSeconds(30));
        await Task.Delay(200, CancellationToken.None);
        Assert.Equal(2, UserPageRequests(emulator));

        var read = pages.Current.Users.Count;
        DirectoryPage last = pages.Current;
        while (await pages.MoveNextAsync())
        {
            read += pages.Current.Users.Count;
            last = pages.Current;
        }

        // Every page read once: the page sent ahead is the one used, nothing is asked for twice.
        Assert.Equal(2500, read);
        Assert.NotNull(last.Completion);
        var userRequests = emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, userRequests.Count);
        Assert.Equal(userRequests.Count, userRequests.Select(r => r.PathAndQuery).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_consumer_that_stops_early_leaves_no_request_behind()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 2500 });
        emulator.Faults.LatencyMs = 300;
        using var source = Emulator.Source();
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, _) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            await foreach (var page in source.ReadUsersAsync(Emulator.Request(Emulator.Profile(emulator))))
            {
                Assert.NotEmpty(page.Users);
                break; // the request for page 2 is in flight (300 ms): stopping cancels it
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.Equal(0, unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }
    }

    private static int UserPageRequests(GraphEmulator emulator) =>
        emulator.Requests.Count(r => r.PathAndQuery.StartsWith("/v1.0/users?", StringComparison.Ordinal));

    [Fact]
    public async Task A_single_user_is_read_by_id_upn_or_mail()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var ann = tenant.AddUser(Emulator.Person("Ann", "Lee", u => u.Mail = "ann@fabrikam.com"));
        using var source = Emulator.Source();
        var request = Emulator.Request(Emulator.Profile(emulator));

        Assert.Equal(ann.Id, (await source.GetUserAsync(request, ann.Id)).User!.Id);
        Assert.Equal(ann.Id, (await source.GetUserAsync(request, ann.UserPrincipalName!)).User!.Id);
        Assert.Equal(ann.Id, (await source.GetUserAsync(request, "ann@fabrikam.com")).User!.Id);
        Assert.True((await source.GetUserAsync(request, ann.Id)).IsInScope);
        Assert.False((await source.GetUserAsync(request, "6f6f6f6f-0000-0000-0000-000000000000")).IsFound);
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task Reading_users_without_permission_names_User_Read_All()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 3 });
        emulator.DefaultTenant.DenyPermission("User.Read.All");
        using var source = Emulator.Source();

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator))));

        Assert.Equal(DirectoryErrorKind.PermissionMissing, error.Kind);
        Assert.Equal("User.Read.All", error.MissingPermission);
    }

    /// <summary>A tiny valid JPEG (SOI, APP0, SOF0 1x1, EOI) the emulator accepts.</summary>
    private static byte[] MinimalJpeg() =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9,
    ];
}

/// <summary>The Graph source keeps every request and token on the configured Graph, and holds no response it cannot afford.</summary>
public sealed class GraphSourceLimitTests
{
    [Fact]
    public async Task A_saved_delta_link_to_another_host_is_not_followed_and_says_to_run_a_full_sync()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        await using var elsewhere = await GraphEmulator.StartAsync();
        emulator.DefaultTenant.AddUser(Emulator.Person("Ada", "Lovelace"));
        using var source = Emulator.Source();
        var profile = Emulator.Profile(emulator);

        var error = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(Emulator.Request(profile, new SyncCheckpoint { Value = elsewhere.GraphBaseUrl + "/users/delta?$deltatoken=x" })));

        Assert.Equal(DirectoryErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("not to the configured Microsoft Graph", error.Message, StringComparison.Ordinal);
        Assert.Contains("run a full sync", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_photo_larger_than_the_limit_is_refused_naming_the_option()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var pictured = tenant.AddUser(Emulator.Person("Pic", "Tured"));
        var big = new byte[4096];
        big[0] = 0xFF;
        big[1] = 0xD8;
        tenant.SetPhoto(pictured.Id, big, 1, 1);
        using var source = Emulator.Source(new GraphSourceOptions { MaxPhotoBytes = 4095 });
        using var roomy = Emulator.Source(new GraphSourceOptions { MaxPhotoBytes = 4096 });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var error = await Assert.ThrowsAsync<DirectoryException>(async () => await source.GetPhotoAsync(request, pictured.Id));

        Assert.Contains("GraphSourceOptions.MaxPhotoBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(4096, (await roomy.GetPhotoAsync(request, pictured.Id))!.Content!.Value.Length);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/users?$skiptoken=1", true)]
    [InlineData("https://GRAPH.microsoft.com/beta/users", true)]
    [InlineData("http://graph.microsoft.com/v1.0/users", false)]
    [InlineData("https://graph.microsoft.com:8443/v1.0/users", false)]
    [InlineData("https://graph.microsoft.com.evil.example/v1.0/users", false)]
    [InlineData("https://evil.example/v1.0/users", false)]
    public async Task A_ready_access_token_goes_only_to_the_configured_graph(string url, bool gets)
    {
        var provider = new EntraSync.Graph.Internal.GraphClientProvider.StaticTokenProvider("secret-token", new Uri("https://graph.microsoft.com/v1.0"));

        var token = await provider.GetAuthorizationTokenAsync(new Uri(url));

        Assert.Equal(gets ? "secret-token" : "", token);
    }
}
