using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EntraSync.Graph.Internal;
using EntraSync.Testing.Emulator;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph.Tests;

/// <summary>
/// Photos by Microsoft Graph JSON batch (POST /$batch whose every sub-request is a GET), through the real Graph client
/// against the emulator: what the read-only guard lets through, per-sub-request status handling, and distrust of the
/// batch response.
/// </summary>
public sealed class PhotoBatchTests
{
    private const string BatchPath = "/v1.0/$batch";

    [Theory]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1/photo"},{"id":"2","method":"get","url":"/users/u2/photos/240x240/$value"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1/photo","headers":{"Accept":"application/json"},"dependsOn":[]}]}""")]
    public async Task A_batch_of_GETs_under_users_reaches_Graph(string body)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });

        var status = await SendBatchAsync(GuardedClient(emulator), emulator, body);

        Assert.Equal(200, status);
        Assert.Contains(emulator.Requests, r => r.Method == "POST" && r.PathAndQuery == BatchPath);
    }

    [Theory]
    [InlineData("""{"requests":[{"id":"1","method":"PATCH","url":"/users/u1"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"DELETE","url":"/users/u1","method":"GET"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1/photo"},{"id":"2","method":"DELETE","url":"/users/u2"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1","body":{"jobTitle":"x"}}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/groups/g1/members"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"https://evil.example/users/u1"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/../subscriptions"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/%2e%2e/subscriptions"}]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1/$batch"}]}""")]
    [InlineData("""{"requests":[{"method":"GET","url":"/users/u1/photo"}]}""")]
    [InlineData("""{"requests":[]}""")]
    [InlineData("""{"requests":[{"id":"1","method":"GET","url":"/users/u1/photo"}],"extra":1}""")]
    [InlineData("""[{"id":"1","method":"GET","url":"/users/u1/photo"}]""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task A_batch_with_anything_but_GETs_under_users_is_refused_before_it_reaches_the_network(string body)
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SendBatchAsync(GuardedClient(emulator), emulator, body));

        Assert.IsType<GraphLinkRefusedException>(error);
        Assert.Contains("every sub-request is a GET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_21_GETs_is_refused_before_it_reaches_the_network()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 1 });
        var requests = new JsonArray([.. Enumerable.Range(1, 21).Select(i => (JsonNode)new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = $"/users/u{i}/photo" })]);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SendBatchAsync(GuardedClient(emulator), emulator, new JsonObject { ["requests"] = requests }.ToJsonString()));

        Assert.IsType<GraphLinkRefusedException>(error);
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_gets_every_users_photo_etag_in_batches_of_20_and_sends_no_single_photo_GET()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 45);
        var noPhoto = emulator.DefaultTenant.AddUser(Emulator.Person("No", "Photo"));
        using var source = Emulator.Source();

        var read = (await source.ReadAllAsync(Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true)))).Users().ToDictionary(u => u.Id);

        Assert.All(users, u => Assert.Equal(emulator.DefaultTenant.GetPhotoETag(u.Id), read[u.Id].Photo?.ETag));
        Assert.Null(read[noPhoto.Id].Photo);
        Assert.Equal(3, emulator.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == BatchPath));
        Assert.DoesNotContain(emulator.Requests, r => r.PathAndQuery.Contains("/photo", StringComparison.Ordinal));
        Emulator.AssertOnlyGets(emulator);
    }

    [Fact]
    public async Task Downloads_come_in_batches_of_10_users_each_with_its_own_bytes_and_etag()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var users = AddPictured(tenant, 25);
        var noPhoto = tenant.AddUser(Emulator.Person("No", "Photo"));
        using var source = Emulator.Source();
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = (await source.GetPhotosAsync(request, [.. users.Select(u => u.Id), noPhoto.Id, "00000000-0000-0000-0000-00000000dead"])).ToDictionary(d => d.UserId);

        Assert.All(users, u =>
        {
            var photo = downloads[u.Id].Photo!;
            Assert.Equal(tenant.GetPhotoETag(u.Id), photo.ETag);
            Assert.Equal(Jpeg(u.Id), photo.Content!.Value.ToArray());
            Assert.Equal("image/jpeg", photo.ContentType);
        });
        Assert.Null(downloads[noPhoto.Id].Photo);
        Assert.Null(downloads[noPhoto.Id].Error);
        Assert.Null(downloads["00000000-0000-0000-0000-00000000dead"].Photo);
        Assert.Equal(3, emulator.Requests.Count(r => r.PathAndQuery == BatchPath));
    }

    [Fact]
    public async Task With_batching_off_photos_are_plain_GETs()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 3);
        using var source = Emulator.Source(new GraphSourceOptions { PhotoRequestsPerBatch = 1 });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        await source.ReadAllAsync(request);
        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);

        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.DoesNotContain(emulator.Requests, r => r.Method != "GET");
        Assert.Equal(9, emulator.Requests.Count(r => r.PathAndQuery.Contains("/photo", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_throttled_sub_request_is_asked_again_after_its_own_Retry_After_on_the_TimeProvider()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 4);
        emulator.Faults.Status = 429;
        emulator.Faults.RetryAfterSeconds = 30;
        emulator.Faults.PathContains = "/$value";
        emulator.Faults.Count = 2;
        var time = new FakeTimeProvider();
        using var source = Emulator.Source(new GraphSourceOptions(), time);
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));
        var started = time.GetUtcNow();

        var download = source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]).AsTask();
        while (!download.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1, CancellationToken.None);
        }

        var downloads = await download;
        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.Equal(2, emulator.Requests.Count(r => r.PathAndQuery == BatchPath));
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(30), "the retry went out before the sub-response's Retry-After had passed");
    }

    [Fact]
    public async Task A_throttled_batch_is_sent_again_whole()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 3);
        emulator.Faults.Status = 429;
        emulator.Faults.RetryAfterSeconds = 0.01;
        emulator.Faults.PathContains = "/$batch";
        emulator.Faults.Count = 1;
        using var source = Emulator.Source();
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);

        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.Equal([429, 200], emulator.Requests.Where(r => r.PathAndQuery == BatchPath).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_sub_request_that_stays_unavailable_fails_only_its_users_photo()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 3);
        emulator.Faults.Status = 503;
        emulator.Faults.PathContains = users[1].Id + "/photo/$value";
        using var source = Emulator.Source(new GraphSourceOptions { MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = (await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)])).ToDictionary(d => d.UserId);

        Assert.Equal(DirectoryErrorKind.Unavailable, downloads[users[1].Id].Error?.Kind);
        Assert.Null(downloads[users[1].Id].Photo);
        Assert.Equal(Jpeg(users[0].Id), downloads[users[0].Id].Photo!.Content!.Value.ToArray());
        Assert.Equal(Jpeg(users[2].Id), downloads[users[2].Id].Photo!.Content!.Value.ToArray());
        Assert.Equal(2, emulator.Requests.Count(r => r.PathAndQuery == BatchPath));
    }

    [Fact]
    public async Task A_photo_above_MaxPhotoBytes_in_a_batch_fails_naming_the_option()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tenant = emulator.DefaultTenant;
        var pictured = tenant.AddUser(Emulator.Person("Big", "Photo"));
        tenant.SetPhoto(pictured.Id, new byte[4096], 1, 1);
        using var source = Emulator.Source(new GraphSourceOptions { MaxPhotoBytes = 4095 });
        using var roomy = Emulator.Source(new GraphSourceOptions { MaxPhotoBytes = 4096 });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var refused = Assert.Single(await source.GetPhotosAsync(request, [pictured.Id]));
        var allowed = Assert.Single(await roomy.GetPhotosAsync(request, [pictured.Id]));

        Assert.Null(refused.Photo);
        Assert.Contains("GraphSourceOptions.MaxPhotoBytes", refused.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(4096, allowed.Photo!.Content!.Value.Length);
    }

    [Fact]
    public async Task Sub_responses_are_matched_by_id_whatever_their_order()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 10);
        using var source = Tampered(root => root["responses"] = new JsonArray([.. root["responses"]!.AsArray().Reverse().Select(n => n!.DeepClone())]));
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);
        var read = (await source.ReadAllAsync(request)).Users().ToDictionary(u => u.Id);

        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.All(users, u => Assert.Equal(emulator.DefaultTenant.GetPhotoETag(u.Id), read[u.Id].Photo?.ETag));
    }

    [Fact]
    public async Task Sub_requests_left_unanswered_are_asked_again()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 5);
        var tampered = 0;
        using var source = Tampered(root =>
        {
            if (Interlocked.Increment(ref tampered) == 1)
            {
                root["responses"]!.AsArray().RemoveAt(0);
            }
        });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);

        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.Equal(2, emulator.Requests.Count(r => r.PathAndQuery == BatchPath));
    }

    [Theory]
    [InlineData("foreign id")]
    [InlineData("duplicate id")]
    [InlineData("no status")]
    [InlineData("no responses")]
    public async Task A_batch_response_that_cannot_be_trusted_attaches_no_photo_and_fails_the_batch(string fault)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 3);
        using var source = Tampered(root =>
        {
            var responses = root["responses"]!.AsArray();
            switch (fault)
            {
                case "foreign id":
                    responses[0]!["id"] = "someone-else";
                    break;
                case "duplicate id":
                    responses.Add(responses[0]!.DeepClone());
                    break;
                case "no status":
                    responses[0]!.AsObject().Remove("status");
                    break;
                default:
                    root.Remove("responses");
                    break;
            }
        });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);
        var readError = await Assert.ThrowsAsync<DirectoryException>(() => source.ReadAllAsync(request));

        Assert.All(downloads, d =>
        {
            Assert.Null(d.Photo);
            Assert.Equal(DirectoryErrorKind.InvalidResponse, d.Error?.Kind);
        });
        Assert.Equal(DirectoryErrorKind.InvalidResponse, readError.Kind);
        Assert.Contains("/$batch", readError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTML_page_or_a_cut_short_body_instead_of_a_batch_response_is_asked_for_again()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var users = AddPictured(emulator.DefaultTenant, 3);
        var answers = 0;
        using var source = Emulator.Source(new GraphSourceOptions
        {
            PrimaryHandlerFactory = () => new RewritingHandler((_, body) => Interlocked.Increment(ref answers) switch
            {
                1 => ("text/html", "<html><body>Proxy login</body></html>"u8.ToArray()),
                2 => ("application/json", body.AsSpan(0, body.Length / 2).ToArray()),
                _ => ("application/json", body),
            }),
        });
        var request = Emulator.Request(Emulator.Profile(emulator, configure: p => p.Photos.Enabled = true));

        var downloads = await source.GetPhotosAsync(request, [.. users.Select(u => u.Id)]);

        Assert.All(downloads, d => Assert.Equal(Jpeg(d.UserId), d.Photo!.Content!.Value.ToArray()));
        Assert.Equal(3, emulator.Requests.Count(r => r.PathAndQuery == BatchPath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void PhotoRequestsPerBatch_outside_1_to_20_fails_at_start_up_naming_the_option(int value)
    {
        var result = new GraphSourceOptionsValidator().Validate(null, new GraphSourceOptions { PhotoRequestsPerBatch = value });

        Assert.True(result.Failed);
        Assert.Contains("GraphSourceOptions.PhotoRequestsPerBatch", result.FailureMessage, StringComparison.Ordinal);
    }

    private static List<EmulatedUser> AddPictured(EmulatedTenant tenant, int count)
    {
        var users = new List<EmulatedUser>();
        for (var i = 0; i < count; i++)
        {
            var user = tenant.AddUser(Emulator.Person("Pictured", "Person" + i));
            tenant.SetPhoto(user.Id, Jpeg(user.Id), 64, 64);
            users.Add(user);
        }

        return users;
    }

    /// <summary>A JPEG whose bytes are the user's own (the sample with the user's id in a comment segment).</summary>
    private static byte[] Jpeg(string userId)
    {
        var sample = TenantGenerator.SamplePhoto();
        var text = Encoding.ASCII.GetBytes(userId);
        return [0xFF, 0xD8, 0xFF, 0xFE, (byte)((text.Length + 2) >> 8), (byte)((text.Length + 2) & 0xFF), .. text, .. sample.AsSpan(2)];
    }

    private static GraphDirectorySource Tampered(Action<JsonObject> tamper) => Emulator.Source(new GraphSourceOptions
    {
        MaxPageAttempts = 2,
        PrimaryHandlerFactory = () => new RewritingHandler((_, body) =>
        {
            var root = JsonNode.Parse(body)!.AsObject();
            tamper(root);
            return ("application/json", Encoding.UTF8.GetBytes(root.ToJsonString()));
        }),
    });

    private static GraphServiceClient GuardedClient(GraphEmulator emulator)
    {
        var provider = new GraphClientProvider(Options.Create(new GraphSourceOptions { MaxRetries = 0 }), TimeProvider.System, NullLogger.Instance);
        return provider.GetClient(Emulator.Profile(emulator));
    }

    private static async Task<int> SendBatchAsync(GraphServiceClient client, GraphEmulator emulator, string body)
    {
        var info = new RequestInformation { HttpMethod = Method.POST, URI = new Uri(emulator.GraphBaseUrl + "/$batch") };
        info.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)), "application/json");
        await using var stream = await client.RequestAdapter.SendPrimitiveAsync<Stream>(info);
        return 200;
    }

    /// <summary>Stands between the Graph client and the emulator and rewrites successful <c>/$batch</c> answers (a proxy, a broken gateway).</summary>
    private sealed class RewritingHandler(Func<HttpRequestMessage, byte[], (string ContentType, byte[] Body)> rewrite) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK || request.RequestUri?.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) != true)
            {
                return response;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var (type, rewritten) = rewrite(request, body);
            var content = new ByteArrayContent(rewritten);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
            response.Content = content;
            return response;
        }
    }
}
