using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EntraSync.Graph.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph;

/// <summary>
/// The default <see cref="IDirectorySource"/>: reads a tenant's users from Microsoft Entra ID through Microsoft Graph.
/// </summary>
/// <remarks>
/// <para>
/// Requests are built with the Microsoft Graph SDK's request builders (or are the nextLink/deltaLink verbatim) and sent
/// through its pipeline (authentication, retry honouring <c>Retry-After</c>, redirects); the responses are parsed from
/// the stream with System.Text.Json straight into <see cref="DirectoryUser"/>, not the SDK's typed models.
/// Only GET requests are sent, and JSON batches (<c>POST /$batch</c>) whose every sub-request is a GET of a photo.
/// </para>
/// <para>
/// Full reads take a <c>$deltatoken=latest</c> link first and then read <c>/users</c> (999 per page, the tenant's
/// OData filter server-side), so the next run reads only changes and nothing made during the read is lost.
/// Incremental reads follow the saved delta link and apply the tenant's filter client-side; users who no longer match
/// are reported in <see cref="DirectoryPage.OutOfScope"/>. An expired or reset delta link falls back to a full read.
/// Group-scoped tenants are read in full each run (Graph's user delta cannot be limited to groups).
/// </para>
/// </remarks>
public sealed partial class GraphDirectorySource : IDirectorySource, IDisposable
{
    private const int PageSize = 999;

    private readonly GraphClientProvider _clients;
    private readonly bool _ownsClients;
    private readonly GraphTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GraphDirectorySource"/> class.</summary>
    /// <param name="options">The source's settings.</param>
    /// <param name="time">The clock (for retry waits and checkpoint times).</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public GraphDirectorySource(IOptions<GraphSourceOptions> options, TimeProvider time, ILogger<GraphDirectorySource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clients = new GraphClientProvider(options, time, _logger);
        _ownsClients = true;
        _transport = new GraphTransport(_clients, _logger);
    }

    /// <summary>A source over the Graph clients it shares with the connectivity check (the container owns them).</summary>
    internal GraphDirectorySource(GraphClientProvider clients, TimeProvider time, ILogger<GraphDirectorySource>? logger)
    {
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clients = clients;
        _transport = new GraphTransport(_clients, _logger);
    }

    /// <summary>Gets the Graph clients (one per tenant and credentials, one HTTP pipeline per Graph origin).</summary>
    internal GraphClientProvider Clients => _clients;

    /// <inheritdoc />
    public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var profile = request.Context.Profile;
        var connection = profile.Connection;
        var plan = ReadPlan.Create(request);
        var client = _clients.GetClient(profile);
        var reader = new GraphPageReader(plan.Schema);
        var read = _transport.StartRead(client);
        if (plan.MemberOfGroups.Count > 0)
        {
            reader.MemberOf = await ReadMembershipsAsync(client, plan, connection, read, cancellationToken).ConfigureAwait(false);
        }

        string? fallbackReason = null;
        if (request.Mode == SyncMode.Incremental && request.Checkpoint is { Value.Length: > 0 } checkpoint)
        {
            if (plan.DeltaProblem is not null)
            {
                fallbackReason = plan.DeltaProblem;
                Log.DeltaNotPossible(_logger, request.Context.TenantId, plan.DeltaProblem);
            }
            else
            {
                var link = checkpoint.Value;
                if (!PagedRead.IsOnGraph(link, read.Graph))
                {
                    // A saved link that leads off Graph (a changed Connection:GraphBaseUrl, or a tampered store) is never followed.
                    throw new DirectoryException(
                        $"The saved delta link of tenant {request.Context.TenantId} points to {PagedRead.Origin(link)}, not to the configured Microsoft Graph {read.Graph.GetLeftPart(UriPartial.Authority)} (Connection:GraphBaseUrl), so it was not followed. The read is incomplete, so nobody was removed; run a full sync to start change tracking again.",
                        DirectoryErrorKind.InvalidResponse);
                }

                using var prefetch = _transport.Prefetch(client, advanced: false);
                while (link is not null)
                {
                    GraphPage page;
                    try
                    {
                        page = await _transport.ReadPageAsync(client, GraphTransport.ForLink(link, advanced: false), reader, new GraphCall(GraphOperation.ReadDelta, plan.FilterText), connection, read, cancellationToken, prefetch).ConfigureAwait(false);
                    }
                    catch (DirectoryException ex) when (ex.InnerException is not null && GraphErrors.IsDeltaReset(ex.InnerException, out var reason))
                    {
                        fallbackReason = reason;
                        Log.DeltaReset(_logger, request.Context.TenantId, reason);
                        break;
                    }

                    yield return await ToDeltaPageAsync(client, page, plan, request, isFull: false, fallbackReason: null, cancellationToken).ConfigureAwait(false);
                    link = page.NextLink;
                }

                if (fallbackReason is null)
                {
                    yield break;
                }
            }
        }

        await foreach (var page in ReadFullAsync(client, reader, read, plan, request, fallbackReason, cancellationToken).ConfigureAwait(false))
        {
            yield return page;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The user is read by id or UPN (or looked up by <c>mail</c>), then the tenant's scope is asked of Graph the way a
    /// full read applies it: <c>GET /users?$filter=id eq '{id}' and ({Scope:ODataFilter})</c> with the same
    /// advanced-query parameters, and, for group-scoped tenants, the same (transitive) members request per scope group
    /// filtered to the user's id. Only GET requests are sent; a user a full read would not return comes back as
    /// <see cref="DirectoryUserLookup.OutOfScope"/> with the reason.
    /// </remarks>
    public async ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var profile = request.Context.Profile;
        var plan = ReadPlan.Create(request);
        var client = _clients.GetClient(profile);
        var call = new GraphCall(GraphOperation.ReadUser, UserId: user);
        var key = user.Trim();
        RequestInformation info;
        if (key.StartsWith('$'))
        {
            // Graph's rule for UPNs that start with '$': address them as /users('$x@y.com').
            info = client.Users[key].ToGetRequestInformation(c =>
            {
                c.QueryParameters.Select = plan.Select;
                c.QueryParameters.Expand = plan.Expand;
            });
            var uri = GraphTransport.ResolveUri(client, info);
            info.URI = new Uri($"{client.RequestAdapter.BaseUrl}/users('{Uri.EscapeDataString(Quote(key))}'){uri.Query}");
        }
        else
        {
            info = client.Users[key].ToGetRequestInformation(c =>
            {
                c.QueryParameters.Select = plan.Select;
                c.QueryParameters.Expand = plan.Expand;
            });
        }

        var bytes = await _transport.ReadBytesAsync(client, info, call, profile.Connection, cancellationToken).ConfigureAwait(false);
        DirectoryUser? found = null;
        if (bytes is not null)
        {
            try
            {
                found = new GraphPageReader(plan.Schema).ReadEntity(bytes).Users.FirstOrDefault();
            }
            catch (GraphResponseException ex)
            {
                throw GraphErrors.Translate(ex, call, profile.Connection);
            }
        }
        else if (key.Contains('@', StringComparison.Ordinal) && !Guid.TryParse(key, out _))
        {
            // Not a UPN: look the address up as mail.
            var list = client.Users.ToGetRequestInformation(c =>
            {
                c.QueryParameters.Select = plan.Select;
                c.QueryParameters.Expand = plan.Expand;
                c.QueryParameters.Filter = $"mail eq '{Quote(key)}'";
                c.QueryParameters.Top = 2;
            });
            var page = await _transport.ReadPageAsync(client, list, new GraphPageReader(plan.Schema), call, profile.Connection, _transport.StartRead(client), cancellationToken).ConfigureAwait(false);
            found = page.Users.FirstOrDefault();
        }

        if (found is null)
        {
            return DirectoryUserLookup.NotFound;
        }

        if (await OutOfScopeReasonAsync(client, plan, found.Id, profile.Connection, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            return DirectoryUserLookup.OutOfScope(found, reason);
        }

        if (plan.MemberOfGroups.Count > 0)
        {
            found = await WithMemberOfAsync(client, plan, found, profile.Connection, cancellationToken).ConfigureAwait(false);
        }

        if (profile.Photos.Enabled)
        {
            found = WithPhoto(found, await GetPhotoMetadataAsync(client, profile, found.Id, cancellationToken).ConfigureAwait(false));
        }

        return DirectoryUserLookup.InScope(found);
    }

    /// <inheritdoc />
    public async ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var profile = request.Context.Profile;
        var client = _clients.GetClient(profile);
        var metadata = await GetPhotoMetadataAsync(client, profile, userId, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
        {
            return null;
        }

        var size = profile.Photos.Size;
        var info = string.IsNullOrWhiteSpace(size)
            ? client.Users[userId].Photo.Content.ToGetRequestInformation()
            : client.Users[userId].Photos[size.Trim()].Content.ToGetRequestInformation();
        var bytes = await _transport.ReadBytesAsync(client, info, new GraphCall(GraphOperation.ReadPhoto, UserId: userId), profile.Connection, cancellationToken).ConfigureAwait(false);
        return bytes is null or { Length: 0 }
            ? null
            : new DirectoryPhoto { ETag = metadata.ETag, ContentType = metadata.ContentType, Content = bytes };
    }

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="GraphSourceOptions.PhotoRequestsPerBatch"/> above 1 (the default), photos are downloaded by
    /// Microsoft Graph JSON batch, <c>POST /$batch</c> whose every sub-request is a GET (a user's photo metadata and
    /// bytes); otherwise one user at a time, as <see cref="GetPhotoAsync"/>.
    /// </remarks>
    public async ValueTask<IReadOnlyList<DirectoryPhotoDownload>> GetPhotosAsync(DirectoryReadRequest request, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(userIds);
        var profile = request.Context.Profile;
        if (userIds.Count == 0)
        {
            return [];
        }

        if (_clients.Options.PhotoRequestsPerBatch > 1)
        {
            return await DownloadBatchedAsync(_clients.GetClient(profile), profile, userIds, cancellationToken).ConfigureAwait(false);
        }

        var result = new DirectoryPhotoDownload[userIds.Count];
        await Parallel.ForAsync(0, userIds.Count, PhotoParallelism(profile, cancellationToken), async (i, token) =>
        {
            try
            {
                result[i] = new DirectoryPhotoDownload { UserId = userIds[i], Photo = await GetPhotoAsync(request, userIds[i], token).ConfigureAwait(false) };
            }
            catch (DirectoryException ex)
            {
                result[i] = new DirectoryPhotoDownload { UserId = userIds[i], Error = ex };
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Releases the HTTP connections (unless they are shared and owned by the service provider).</summary>
    public void Dispose()
    {
        if (_ownsClients)
        {
            _clients.Dispose();
        }
    }

    internal static DirectoryUser WithPhoto(DirectoryUser user, DirectoryPhoto? photo) =>
        photo is null ? user : new DirectoryUser { Id = user.Id, Properties = user.Properties, Photo = photo };

    /// <summary>How many JSON batches of manager reads are in flight at once.</summary>
    private const int ManagerBatchesInFlight = 4;

    private async IAsyncEnumerable<DirectoryPage> ReadFullAsync(GraphServiceClient client, GraphPageReader reader, PagedRead read, ReadPlan plan, DirectoryReadRequest request, string? fallbackReason, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = request.Context.Profile.Connection;
        if (plan.ScopeGroups.Count > 0)
        {
            await foreach (var page in ReadGroupScopeAsync(client, reader, read, plan, request, fallbackReason, cancellationToken).ConfigureAwait(false))
            {
                yield return page;
            }

            yield break;
        }

        string? deltaLink = null;
        if (plan.DeltaProblem is null)
        {
            // With the manager read, a delta round would cost a manager lookup per user: the list expands it instead.
            if (_clients.Options.FullReadStrategy == GraphFullReadStrategy.DeltaRound && !plan.ReadsManager)
            {
                var link = GraphTransport.ResolveUri(client, client.Users.Delta.ToGetRequestInformation(c => c.QueryParameters.Select = plan.DeltaSelect)).AbsoluteUri;
                using var deltaPrefetch = _transport.Prefetch(client, advanced: false);
                while (link is not null)
                {
                    var page = await _transport.ReadPageAsync(client, GraphTransport.ForLink(link, advanced: false), reader, new GraphCall(GraphOperation.ReadDelta, plan.FilterText), connection, read, cancellationToken, deltaPrefetch).ConfigureAwait(false);
                    yield return await ToDeltaPageAsync(client, page, plan, request, isFull: true, fallbackReason, cancellationToken).ConfigureAwait(false);
                    link = page.NextLink;
                }

                yield break;
            }

            // Taken before the read: whatever changes while /users is read is replayed by the next incremental read.
            deltaLink = await GetLatestDeltaLinkAsync(client, plan, connection, read, cancellationToken).ConfigureAwait(false);
        }
        else if (request.Mode == SyncMode.Incremental || request.Checkpoint is not null)
        {
            Log.DeltaNotPossible(_logger, request.Context.TenantId, plan.DeltaProblem);
        }

        // Graph refuses $expand with advanced queries: then each page's managers are read by batched GETs instead.
        var managersByBatch = plan.ReadsManager && plan.Advanced;
        var info = client.Users.ToGetRequestInformation(c =>
        {
            c.QueryParameters.Select = plan.Select;
            c.QueryParameters.Expand = managersByBatch ? null : plan.Expand;
            c.QueryParameters.Top = PageSize;
            if (plan.FilterText is not null)
            {
                c.QueryParameters.Filter = plan.FilterText;
            }

            if (plan.Advanced)
            {
                c.QueryParameters.Count = true;
                c.Headers.Add("ConsistencyLevel", "eventual");
            }
        });
        var call = new GraphCall(GraphOperation.ReadUsers, plan.FilterText);
        using var prefetch = _transport.Prefetch(client, plan.Advanced);
        while (true)
        {
            var page = await _transport.ReadPageAsync(client, info, reader, call, connection, read, cancellationToken, prefetch).ConfigureAwait(false);
            var listed = managersByBatch ? await WithManagersAsync(client, page.Users, connection, cancellationToken).ConfigureAwait(false) : page.Users;
            var users = await AttachPhotosAsync(client, request.Context.Profile, listed, cancellationToken).ConfigureAwait(false);
            var last = page.NextLink is null;
            yield return new DirectoryPage
            {
                Users = users,
                Rejected = page.Rejected,
                Completion = last ? Complete(isFull: true, deltaLink, fallbackReason, plan) : null,
            };

            if (last)
            {
                yield break;
            }

            info = GraphTransport.ForLink(page.NextLink!, plan.Advanced);
        }
    }

    private async IAsyncEnumerable<DirectoryPage> ReadGroupScopeAsync(GraphServiceClient client, GraphPageReader reader, PagedRead read, ReadPlan plan, DirectoryReadRequest request, string? fallbackReason, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = request.Context.Profile.Connection;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var g = 0; g < plan.ScopeGroups.Count; g++)
        {
            var groupId = plan.ScopeGroups[g];
            var call = new GraphCall(GraphOperation.ReadGroupMembers, plan.FilterText, groupId);
            var info = MembersRequest(client, groupId, plan.Transitive, plan.Select, plan.FilterText);
            var lastGroup = g == plan.ScopeGroups.Count - 1;
            using var prefetch = _transport.Prefetch(client, advanced: true);
            while (true)
            {
                var page = await _transport.ReadPageAsync(client, info, reader, call, connection, read, cancellationToken, prefetch).ConfigureAwait(false);
                var fresh = new List<DirectoryUser>(page.Users.Count);
                foreach (var user in page.Users)
                {
                    // The union of the groups: a user in several groups is delivered once.
                    if (seen.Add(user.Id))
                    {
                        fresh.Add(user);
                    }
                }

                // Members are listed with advanced queries, which refuse $expand: managers come by batched GETs.
                if (plan.ReadsManager)
                {
                    fresh = await WithManagersAsync(client, fresh, connection, cancellationToken).ConfigureAwait(false);
                }

                var users = await AttachPhotosAsync(client, request.Context.Profile, fresh, cancellationToken).ConfigureAwait(false);
                var last = lastGroup && page.NextLink is null;
                yield return new DirectoryPage
                {
                    Users = users,
                    Rejected = page.Rejected,
                    Completion = last ? Complete(isFull: true, deltaLink: null, fallbackReason, plan) : null,
                };

                if (page.NextLink is null)
                {
                    break;
                }

                info = GraphTransport.ForLink(page.NextLink, advanced: true);
            }
        }
    }

    private DirectoryReadCompletion Complete(bool isFull, string? deltaLink, string? fallbackReason, ReadPlan plan)
    {
        var warnings = new List<string>();
        if (isFull && deltaLink is null && plan.DeltaProblem is not null && plan.ScopeGroups.Count == 0)
        {
            warnings.Add($"Incremental reads are not possible for this tenant ({plan.DeltaProblem}); every run reads all users.");
        }

        return new DirectoryReadCompletion
        {
            IsFullEnumeration = isFull,
            Checkpoint = deltaLink is null ? null : new SyncCheckpoint { Value = deltaLink, CreatedAt = _time.GetUtcNow() },
            FallbackReason = fallbackReason,
            Warnings = warnings,
        };
    }

    private async Task<DirectoryPage> ToDeltaPageAsync(GraphServiceClient client, GraphPage page, ReadPlan plan, DirectoryReadRequest request, bool isFull, string? fallbackReason, CancellationToken cancellationToken)
    {
        if (page.NextLink is null && page.DeltaLink is null)
        {
            throw new DirectoryException("A Microsoft Graph delta page had neither a nextLink nor a deltaLink, so the round cannot be finished. The read is incomplete, so nobody was removed; the next run reads again.", DirectoryErrorKind.InvalidResponse);
        }

        var inScope = page.Users;
        List<DirectoryScopeExit>? exits = null;
        if (plan.Filter is not null)
        {
            inScope = new List<DirectoryUser>(page.Users.Count);
            foreach (var user in page.Users)
            {
                if (plan.OutOfScopeReason(user) is { } reason)
                {
                    (exits ??= []).Add(new DirectoryScopeExit { Id = user.Id, Reason = reason });
                }
                else
                {
                    inScope.Add(user);
                }
            }
        }

        if (plan.ReadsManager)
        {
            inScope = await WithManagersAsync(client, inScope, request.Context.Profile.Connection, cancellationToken).ConfigureAwait(false);
        }

        var users = await AttachPhotosAsync(client, request.Context.Profile, inScope, cancellationToken).ConfigureAwait(false);
        return new DirectoryPage
        {
            Users = users,
            Removed = page.Removed,
            Rejected = page.Rejected,
            OutOfScope = exits ?? [],
            Completion = page.NextLink is null ? Complete(isFull, page.DeltaLink, fallbackReason, plan) : null,
        };
    }

    /// <summary>
    /// Adds each user's current manager (<c>manager/id</c>, <c>/mail</c>, <c>/displayName</c>, <c>/userPrincipalName</c>),
    /// read with <c>GET /users/{id}/manager</c>, <see cref="GraphWriteGuard.MaxBatchRequests"/> users per JSON batch
    /// (every sub-request a GET), <see cref="ManagerBatchesInFlight"/> batches at a time. Used where Graph cannot
    /// expand the manager: delta rounds (<c>manager@delta</c> names only the id, and only when it changed) and list
    /// reads with advanced queries or group scope (Graph refuses <c>$expand</c> there). 404 means no manager; any other
    /// failure fails the read (incomplete: nobody removed), never a silently cleared manager.
    /// </summary>
    private async Task<List<DirectoryUser>> WithManagersAsync(GraphServiceClient client, List<DirectoryUser> users, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return users;
        }

        var managers = new JsonElement?[users.Count];
        await ForEachUserBatchedAsync(
            client,
            users,
            GraphWriteGuard.MaxBatchRequests,
            new ParallelOptions { MaxDegreeOfParallelism = ManagerBatchesInFlight, CancellationToken = cancellationToken },
            GraphOperation.ReadUser,
            id => $"/users/{Uri.EscapeDataString(id)}/manager?$select=id,mail,displayName,userPrincipalName",
            connection,
            (i, response, call) => managers[i] = response.Status switch
            {
                404 => null,
                >= 200 and < 300 when response.Body.ValueKind == JsonValueKind.Object => response.Body,
                _ => throw response.ToError(call, connection),
            }).ConfigureAwait(false);

        var result = new List<DirectoryUser>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            var properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in user.Properties)
            {
                if (!name.StartsWith(ReadPlan.ManagerProperty + "/", StringComparison.OrdinalIgnoreCase))
                {
                    properties[name] = value;
                }
            }

            if (managers[i] is { } root)
            {
                foreach (var name in (ReadOnlySpan<string>)["id", "mail", "displayName", "userPrincipalName"])
                {
                    properties[ReadPlan.ManagerProperty + "/" + name] = root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                        ? DirectoryValue.FromString(value.GetString())
                        : DirectoryValue.Null;
                }
            }
            else
            {
                properties[ReadPlan.ManagerProperty] = DirectoryValue.Null;
            }

            result.Add(new DirectoryUser { Id = user.Id, Properties = properties, Photo = user.Photo });
        }

        return result;
    }

    private async Task<string> GetLatestDeltaLinkAsync(GraphServiceClient client, ReadPlan plan, DirectoryConnectionOptions connection, PagedRead read, CancellationToken cancellationToken)
    {
        var info = client.Users.Delta.ToGetRequestInformation(c => c.QueryParameters.Select = plan.DeltaSelect);
        var uri = GraphTransport.ResolveUri(client, info).AbsoluteUri;
        var link = uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "$deltatoken=latest";
        var reader = new GraphPageReader(plan.Schema);
        for (var hops = 0; hops < 100; hops++)
        {
            var page = await _transport.ReadPageAsync(client, GraphTransport.ForLink(link, advanced: false), reader, new GraphCall(GraphOperation.ReadDelta, plan.FilterText), connection, read, cancellationToken).ConfigureAwait(false);
            if (page.DeltaLink is not null)
            {
                return page.DeltaLink;
            }

            link = page.NextLink ?? throw new DirectoryException("Microsoft Graph answered $deltatoken=latest without a deltaLink, so changes cannot be tracked. The next run tries again.", DirectoryErrorKind.InvalidResponse);
        }

        throw new DirectoryException("Microsoft Graph did not return a deltaLink for $deltatoken=latest after 100 pages.", DirectoryErrorKind.InvalidResponse);
    }

    /// <summary>Gets why a full read would not return the user (filter, then scope groups), or <see langword="null"/> when it would.</summary>
    private async Task<string?> OutOfScopeReasonAsync(GraphServiceClient client, ReadPlan plan, string userId, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var idFilter = $"id eq '{Quote(userId)}'";
        if (plan.FilterText is not null)
        {
            var info = client.Users.ToGetRequestInformation(c =>
            {
                c.QueryParameters.Select = ["id"];
                c.QueryParameters.Filter = $"{idFilter} and ({plan.FilterText})";
                if (plan.Advanced)
                {
                    c.QueryParameters.Count = true;
                    c.Headers.Add("ConsistencyLevel", "eventual");
                }
            });
            if (!await ListsUserAsync(client, info, plan.Advanced, new GraphCall(GraphOperation.ReadUsers, plan.FilterText, UserId: userId), userId, connection, cancellationToken).ConfigureAwait(false))
            {
                return $"does not match the directory filter (Scope:ODataFilter) {plan.FilterText}";
            }
        }

        if (plan.ScopeGroups.Count == 0)
        {
            return null;
        }

        foreach (var groupId in plan.ScopeGroups)
        {
            if (await IsMemberAsync(client, plan, groupId, userId, connection, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return $"not a member of any scope group (Scope:GroupIds) {string.Join(", ", plan.ScopeGroups)}"
            + (plan.Transitive ? ", directly or through nested groups" : " as a direct member (Scope:IncludeNestedGroups is false)");
    }

    /// <summary>Adds memberOf for one user: the names of the configured groups the user belongs to, as a full read has them.</summary>
    private async Task<DirectoryUser> WithMemberOfAsync(GraphServiceClient client, ReadPlan plan, DirectoryUser user, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var groupId in plan.MemberOfGroups)
        {
            if (await IsMemberAsync(client, plan, groupId, user.Id, connection, cancellationToken).ConfigureAwait(false))
            {
                var name = await ReadGroupNameAsync(client, groupId, connection, cancellationToken).ConfigureAwait(false);
                if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(name);
                }
            }
        }

        var properties = new Dictionary<string, DirectoryValue>(user.Properties, StringComparer.OrdinalIgnoreCase)
        {
            [DirectoryUser.MemberOfProperty] = DirectoryValue.FromList(names),
        };
        return new DirectoryUser { Id = user.Id, Properties = properties, Photo = user.Photo };
    }

    /// <summary>Asks a group's (transitive) members for one user: the request a group-scoped full read sends, filtered to the id.</summary>
    private Task<bool> IsMemberAsync(GraphServiceClient client, ReadPlan plan, string groupId, string userId, DirectoryConnectionOptions connection, CancellationToken cancellationToken) =>
        ListsUserAsync(client, MembersRequest(client, groupId, plan.Transitive, ["id"], $"id eq '{Quote(userId)}'"), advanced: true, new GraphCall(GraphOperation.ReadGroupMembers, GroupId: groupId, UserId: userId), userId, connection, cancellationToken);

    /// <summary>Reads a collection (following nextLinks: a page may be empty and still have one) until the user is listed.</summary>
    private async Task<bool> ListsUserAsync(GraphServiceClient client, RequestInformation info, bool advanced, GraphCall call, string userId, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var reader = new GraphPageReader(PropertySchema.Create([]));
        var read = _transport.StartRead(client);
        while (true)
        {
            var page = await _transport.ReadPageAsync(client, info, reader, call, connection, read, cancellationToken).ConfigureAwait(false);
            if (page.Users.Exists(u => string.Equals(u.Id, userId, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (page.NextLink is null)
            {
                return false;
            }

            info = GraphTransport.ForLink(page.NextLink, advanced);
        }
    }

    private async Task<string> ReadGroupNameAsync(GraphServiceClient client, string groupId, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var groupInfo = client.Groups[groupId].ToGetRequestInformation(c => c.QueryParameters.Select = ["id", "displayName"]);
        using var group = await _transport.ReadDocumentAsync(client, groupInfo, new GraphCall(GraphOperation.ReadGroup, GroupId: groupId), connection, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return group?.RootElement.TryGetProperty("displayName", out var name) == true && name.ValueKind == JsonValueKind.String ? name.GetString() ?? groupId : groupId;
    }

    /// <summary>Escapes a value for a single-quoted OData string literal.</summary>
    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static RequestInformation MembersRequest(GraphServiceClient client, string groupId, bool transitive, string[] select, string? filter)
    {
        // The cast to microsoft.graph.user returns users only and needs the advanced-query parameters.
        void Configure(RequestConfiguration<Microsoft.Graph.Groups.Item.TransitiveMembers.GraphUser.GraphUserRequestBuilder.GraphUserRequestBuilderGetQueryParameters> c)
        {
            c.QueryParameters.Select = select;
            c.QueryParameters.Top = PageSize;
            c.QueryParameters.Count = true;
            c.QueryParameters.Filter = filter;
            c.Headers.Add("ConsistencyLevel", "eventual");
        }

        void ConfigureDirect(RequestConfiguration<Microsoft.Graph.Groups.Item.Members.GraphUser.GraphUserRequestBuilder.GraphUserRequestBuilderGetQueryParameters> c)
        {
            c.QueryParameters.Select = select;
            c.QueryParameters.Top = PageSize;
            c.QueryParameters.Count = true;
            c.QueryParameters.Filter = filter;
            c.Headers.Add("ConsistencyLevel", "eventual");
        }

        return transitive
            ? client.Groups[groupId].TransitiveMembers.GraphUser.ToGetRequestInformation(Configure)
            : client.Groups[groupId].Members.GraphUser.ToGetRequestInformation(ConfigureDirect);
    }

    /// <summary>Reads the configured groups' names and member ids: which of them each user belongs to.</summary>
    private async Task<Dictionary<string, DirectoryValue>> ReadMembershipsAsync(GraphServiceClient client, ReadPlan plan, DirectoryConnectionOptions connection, PagedRead read, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var groupId in plan.MemberOfGroups)
        {
            var displayName = await ReadGroupNameAsync(client, groupId, connection, cancellationToken).ConfigureAwait(false);
            var info = MembersRequest(client, groupId, plan.Transitive, ["id"], filter: null);
            var reader = new GraphPageReader(PropertySchema.Create([]));
            using var prefetch = _transport.Prefetch(client, advanced: true);
            while (true)
            {
                var page = await _transport.ReadPageAsync(client, info, reader, new GraphCall(GraphOperation.ReadGroupMembers, GroupId: groupId), connection, read, cancellationToken, prefetch).ConfigureAwait(false);
                foreach (var user in page.Users)
                {
                    if (!names.TryGetValue(user.Id, out var list))
                    {
                        names[user.Id] = list = [];
                    }

                    if (!list.Contains(displayName, StringComparer.OrdinalIgnoreCase))
                    {
                        list.Add(displayName);
                    }
                }

                if (page.NextLink is null)
                {
                    break;
                }

                info = GraphTransport.ForLink(page.NextLink, advanced: true);
            }
        }

        var values = new Dictionary<string, DirectoryValue>(names.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (userId, groups) in names)
        {
            values[userId] = DirectoryValue.FromList(groups);
        }

        return values;
    }

    private async Task<IReadOnlyList<DirectoryUser>> AttachPhotosAsync(GraphServiceClient client, SyncProfile profile, List<DirectoryUser> users, CancellationToken cancellationToken)
    {
        if (!profile.Photos.Enabled || users.Count == 0)
        {
            return users;
        }

        var result = new DirectoryUser[users.Count];
        var perBatch = _clients.Options.PhotoRequestsPerBatch;
        if (perBatch <= 1)
        {
            await Parallel.ForAsync(0, users.Count, PhotoParallelism(profile, cancellationToken), async (i, token) =>
            {
                var photo = await GetPhotoMetadataAsync(client, profile, users[i].Id, token).ConfigureAwait(false);
                result[i] = WithPhoto(users[i], photo);
            }).ConfigureAwait(false);
            return result;
        }

        // One batch per perBatch users, each sub-request the GET of one user's photo metadata.
        await ForEachUserBatchedAsync(
            client,
            users,
            perBatch,
            PhotoParallelism(profile, cancellationToken),
            GraphOperation.ReadPhoto,
            id => GraphTransport.PhotoUrl(id, profile.Photos.Size, value: false),
            profile.Connection,
            (i, response, call) => result[i] = WithPhoto(users[i], PhotoMetadata(response, call, profile.Connection))).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Sends one GET per user (<paramref name="urlOf"/> the user's id), <paramref name="perBatch"/> users per JSON
    /// batch, batches as <paramref name="parallelism"/> allows, and hands each user's sub-response to
    /// <paramref name="handle"/> with its index and the call that names that user's request (for error messages).
    /// </summary>
    private Task ForEachUserBatchedAsync(
        GraphServiceClient client,
        IReadOnlyList<DirectoryUser> users,
        int perBatch,
        ParallelOptions parallelism,
        GraphOperation operation,
        Func<string, string> urlOf,
        DirectoryConnectionOptions connection,
        Action<int, GraphBatchResponse, GraphCall> handle)
    {
        var batches = (users.Count + perBatch - 1) / perBatch;
        return Parallel.ForAsync(0, batches, parallelism, async (b, token) =>
        {
            var first = b * perBatch;
            var count = Math.Min(perBatch, users.Count - first);
            var requests = new GraphBatchRequest[count];
            for (var k = 0; k < count; k++)
            {
                requests[k] = new GraphBatchRequest(k.ToString(CultureInfo.InvariantCulture), urlOf(users[first + k].Id));
            }

            var responses = await _transport.SendBatchAsync(client, requests, new GraphCall(operation), connection, _clients.Options.MaxPageBytes, token).ConfigureAwait(false);
            for (var k = 0; k < count; k++)
            {
                handle(first + k, responses[requests[k].Id], new GraphCall(operation, UserId: users[first + k].Id) { Path = requests[k].Url });
            }
        });
    }

    /// <summary>
    /// Downloads photos by JSON batch: each user's metadata (for the ETag) and bytes, <see cref="GraphSourceOptions.PhotoRequestsPerBatch"/>
    /// requests per batch, <see cref="PhotoOptions.MaxConcurrentRequests"/> batches at a time. A batch that fails fails
    /// only its own users' downloads.
    /// </summary>
    private async Task<IReadOnlyList<DirectoryPhotoDownload>> DownloadBatchedAsync(GraphServiceClient client, SyncProfile profile, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var result = new DirectoryPhotoDownload[userIds.Count];
        var perBatch = Math.Max(1, _clients.Options.PhotoRequestsPerBatch / 2);
        var batches = (userIds.Count + perBatch - 1) / perBatch;

        // Room for every photo at its largest, base64-encoded, beside the JSON around it.
        var maxResponseBytes = Math.Max(_clients.Options.MaxPageBytes, perBatch * ((_clients.Options.MaxPhotoBytes / 3 * 4) + 64 * 1024));
        await Parallel.ForAsync(0, batches, PhotoParallelism(profile, cancellationToken), async (b, token) =>
        {
            var first = b * perBatch;
            var count = Math.Min(perBatch, userIds.Count - first);
            var requests = new GraphBatchRequest[count * 2];
            for (var k = 0; k < count; k++)
            {
                var id = userIds[first + k];
                var key = k.ToString(CultureInfo.InvariantCulture);
                requests[2 * k] = new GraphBatchRequest("m" + key, GraphTransport.PhotoUrl(id, profile.Photos.Size, value: false));
                requests[(2 * k) + 1] = new GraphBatchRequest("v" + key, GraphTransport.PhotoUrl(id, profile.Photos.Size, value: true));
            }

            Dictionary<string, GraphBatchResponse> responses;
            try
            {
                responses = await _transport.SendBatchAsync(client, requests, new GraphCall(GraphOperation.ReadPhoto), profile.Connection, maxResponseBytes, token).ConfigureAwait(false);
            }
            catch (DirectoryException ex)
            {
                for (var k = 0; k < count; k++)
                {
                    result[first + k] = new DirectoryPhotoDownload { UserId = userIds[first + k], Error = ex };
                }

                return;
            }

            for (var k = 0; k < count; k++)
            {
                var id = userIds[first + k];
                try
                {
                    var metadata = PhotoMetadata(responses[requests[2 * k].Id], new GraphCall(GraphOperation.ReadPhoto, UserId: id) { Path = requests[2 * k].Url }, profile.Connection);
                    var bytes = metadata is null ? null : PhotoBytes(responses[requests[(2 * k) + 1].Id], new GraphCall(GraphOperation.ReadPhoto, UserId: id) { Path = requests[(2 * k) + 1].Url }, profile.Connection);
                    result[first + k] = new DirectoryPhotoDownload
                    {
                        UserId = id,
                        Photo = bytes is null or { Length: 0 } ? null : new DirectoryPhoto { ETag = metadata!.ETag, ContentType = metadata.ContentType, Content = bytes },
                    };
                }
                catch (DirectoryException ex)
                {
                    result[first + k] = new DirectoryPhotoDownload { UserId = id, Error = ex };
                }
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reads one user's photo metadata sub-response: <see langword="null"/> for no photo; throws for an error.</summary>
    private static DirectoryPhoto? PhotoMetadata(GraphBatchResponse response, GraphCall call, DirectoryConnectionOptions connection)
    {
        if (response.Status is >= 200 and < 300)
        {
            return response.Body.ValueKind == JsonValueKind.Object
                ? ReadPhotoMetadata(response.Body)
                : throw GraphErrors.Translate(new GraphResponseException("a photo's metadata in the batch response is not a JSON object"), call, connection);
        }

        var error = response.ToError(call, connection);
        return IsNoPhoto(error) ? null : throw error;
    }

    /// <summary>Reads one user's photo bytes sub-response (base64 in the batch): <see langword="null"/> for no photo; throws for an error or a photo above <see cref="GraphSourceOptions.MaxPhotoBytes"/>.</summary>
    private byte[]? PhotoBytes(GraphBatchResponse response, GraphCall call, DirectoryConnectionOptions connection)
    {
        if (response.Status is >= 200 and < 300)
        {
            if (response.Body.ValueKind != JsonValueKind.String || !response.Body.TryGetBytesFromBase64(out var bytes))
            {
                throw GraphErrors.Translate(new GraphResponseException("a photo in the batch response is not base64 text"), call, connection);
            }

            return bytes.Length <= _clients.Options.MaxPhotoBytes
                ? bytes
                : throw GraphErrors.Translate(new GraphResponseTooLargeException(_clients.Options.MaxPhotoBytes, "GraphSourceOptions.MaxPhotoBytes"), call, connection);
        }

        var error = response.ToError(call, connection);
        return IsNoPhoto(error) ? null : throw error;
    }

    // Outlook allows 4 concurrent photo requests per app and mailbox.
    private static ParallelOptions PhotoParallelism(SyncProfile profile, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Clamp(profile.Photos.MaxConcurrentRequests, 1, 64), CancellationToken = cancellationToken };

    private async Task<DirectoryPhoto?> GetPhotoMetadataAsync(GraphServiceClient client, SyncProfile profile, string userId, CancellationToken cancellationToken)
    {
        var size = profile.Photos.Size;
        var info = string.IsNullOrWhiteSpace(size)
            ? client.Users[userId].Photo.ToGetRequestInformation()
            : client.Users[userId].Photos[size.Trim()].ToGetRequestInformation();
        JsonDocument? document;
        try
        {
            document = await _transport.ReadDocumentAsync(client, info, new GraphCall(GraphOperation.ReadPhoto, UserId: userId), profile.Connection, notFoundIsNull: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryException ex) when (IsNoPhoto(ex))
        {
            // A user without an Exchange mailbox has no photo (MailboxNotEnabledForRESTAPI and kin): not an error.
            return null;
        }

        using (document)
        {
            return document is null ? null : ReadPhotoMetadata(document.RootElement);
        }
    }

    /// <summary>Gets whether a photo request failed only because the user has no photo or no mailbox.</summary>
    internal static bool IsNoPhoto(DirectoryException exception) => exception.Kind == DirectoryErrorKind.NotFound
        || (exception.Kind == DirectoryErrorKind.InvalidQuery && exception.ErrorCode is "MailboxNotEnabledForRESTAPI" or "MailboxNotSupportedForRESTAPI" or "ErrorMailboxNotEnabledForRESTAPI" or "ErrorInvalidUser" or "ImageNotFound" or "ErrorEntityNotFound");

    /// <summary>Reads photo metadata; the documented "no photo" answer (a 1x1 gif with an empty media ETag) is no photo.</summary>
    internal static DirectoryPhoto? ReadPhotoMetadata(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("@odata.mediaEtag", out var etag) || etag.ValueKind != JsonValueKind.String
            || etag.GetString() is not { Length: > 0 } tag || tag is "\"\"")
        {
            return null;
        }

        var contentType = root.TryGetProperty("@odata.mediaContentType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        return new DirectoryPhoto { ETag = tag, ContentType = contentType };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Tenant {TenantId}: the delta link cannot be used ({Reason}); reading all users instead.")]
        public static partial void DeltaReset(ILogger logger, string tenantId, string reason);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Tenant {TenantId}: reading all users because {Reason}.")]
        public static partial void DeltaNotPossible(ILogger logger, string tenantId, string reason);
    }
}
