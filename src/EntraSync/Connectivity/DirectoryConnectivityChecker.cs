using System.Text.Json;
using Azure.Core;
using EntraSync.Graph;
using EntraSync.Graph.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Connectivity;

/// <summary>The Microsoft Graph <see cref="IDirectoryConnectivityChecker"/>. Sends only GET requests.</summary>
public sealed class DirectoryConnectivityChecker : IDirectoryConnectivityChecker, IDisposable
{
    private readonly GraphClientProvider _clients;
    private readonly bool _ownsClients;
    private readonly GraphTransport _transport;

    /// <summary>Initializes a new instance of the <see cref="DirectoryConnectivityChecker"/> class.</summary>
    /// <param name="options">The Graph source's settings (credentials factory, retries, handler).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public DirectoryConnectivityChecker(IOptions<GraphSourceOptions> options, TimeProvider time, ILogger<DirectoryConnectivityChecker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var log = (ILogger?)logger ?? NullLogger.Instance;
        _clients = new GraphClientProvider(options, time, log);
        _ownsClients = true;
        _transport = new GraphTransport(_clients, log);
    }

    /// <summary>
    /// A check over the Graph source's clients (<c>AddEntraUserSync</c> registers both on one provider): the same
    /// credentials, token cache, HTTP pipeline and origin guard as the sync itself.
    /// </summary>
    internal DirectoryConnectivityChecker(GraphClientProvider clients, ILogger<DirectoryConnectivityChecker>? logger)
    {
        _clients = clients;
        _transport = new GraphTransport(_clients, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckConnectivityAsync(SyncProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var checks = new List<ConnectivityCheck>();
        var connection = profile.Connection;
        var token = await CheckTokenAsync(profile, cancellationToken).ConfigureAwait(false);
        checks.Add(token);
        var scopeGroups = profile.Scope.GroupIds.Concat(profile.Scope.MemberOfGroupIds).Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (token.Status == ConnectivityStatus.Failed)
        {
            foreach (var name in new[] { ConnectivityCheckNames.Organization, ConnectivityCheckNames.Users, ConnectivityCheckNames.Groups, ConnectivityCheckNames.Photos, ConnectivityCheckNames.Filter })
            {
                checks.Add(Skipped(name, "not checked: no access token"));
            }

            return new ConnectivityReport { TenantId = profile.TenantId, Checks = checks };
        }

        var client = _clients.GetClient(profile);
        TenantInfo? tenant = null;
        try
        {
            tenant = await GetTenantInfoAsync(client, connection, cancellationToken).ConfigureAwait(false);
            checks.Add(new ConnectivityCheck { Name = ConnectivityCheckNames.Organization, Status = ConnectivityStatus.Passed, Message = $"Tenant '{tenant.DisplayName}' ({tenant.DefaultDomain ?? tenant.Id})." });
        }
        catch (DirectoryException ex)
        {
            // Sync does not need the organization; only the tenant name is missing.
            checks.Add(FromException(ConnectivityCheckNames.Organization, ex, ex.Kind == DirectoryErrorKind.PermissionMissing ? ConnectivityStatus.Warning : ConnectivityStatus.Failed));
        }

        long? count = null;
        string? sampleUserId = null;
        try
        {
            var users = await _transport.ReadPageAsync(client, CountingUsersRequest(client, filter: null), new GraphPageReader(PropertySchema.Create([])), new GraphCall(GraphOperation.ReadUsers), connection, _transport.StartRead(client), cancellationToken).ConfigureAwait(false);
            sampleUserId = users.Users.FirstOrDefault()?.Id;
            count = users.Count;
            checks.Add(new ConnectivityCheck { Name = ConnectivityCheckNames.Users, Status = ConnectivityStatus.Passed, Message = users.Count is { } all ? $"Users can be read ({all} in the tenant)." : "Users can be read." });
        }
        catch (DirectoryException ex)
        {
            checks.Add(FromException(ConnectivityCheckNames.Users, ex));
        }

        if (scopeGroups.Count == 0)
        {
            checks.Add(Skipped(ConnectivityCheckNames.Groups, "no group scope configured"));
        }
        else
        {
            var (groupCheck, groupCount) = await CheckGroupsAsync(client, profile, scopeGroups, cancellationToken).ConfigureAwait(false);
            checks.Add(groupCheck);
            count = profile.Scope.GroupIds.Count == 1 && string.IsNullOrWhiteSpace(profile.Scope.ODataFilter) ? groupCount : null;
        }

        checks.Add(profile.Photos.Enabled
            ? await CheckPhotosAsync(client, profile, sampleUserId, cancellationToken).ConfigureAwait(false)
            : Skipped(ConnectivityCheckNames.Photos, "photos are not enabled"));

        if (string.IsNullOrWhiteSpace(profile.Scope.ODataFilter))
        {
            checks.Add(Skipped(ConnectivityCheckNames.Filter, "no OData filter configured"));
        }
        else
        {
            var (filterCheck, filtered) = await CheckFilterAsync(client, profile, cancellationToken).ConfigureAwait(false);
            checks.Add(filterCheck);
            count = profile.Scope.GroupIds.Count == 0 ? filtered : null;
        }

        return new ConnectivityReport { TenantId = profile.TenantId, Checks = checks, Tenant = tenant, UsersInScope = count };
    }

    /// <inheritdoc />
    public Task<TenantInfo> GetTenantInfoAsync(SyncProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return GetTenantInfoAsync(_clients.GetClient(profile), profile.Connection, cancellationToken);
    }

    /// <summary>Releases the HTTP connections (unless they are the Graph source's, owned by the service provider).</summary>
    public void Dispose()
    {
        if (_ownsClients)
        {
            _clients.Dispose();
        }
    }

    /// <summary>Reads the organization from a <c>GET /organization</c> body (a collection of exactly one) or a single entity.</summary>
    internal static TenantInfo ParseOrganization(JsonElement root)
    {
        var organization = root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? (value.GetArrayLength() > 0 ? value[0] : throw new DirectoryException("Microsoft Graph returned no organization for the tenant.", DirectoryErrorKind.InvalidResponse))
            : root;
        string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        bool Flag(JsonElement element, string name) => element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.True;
        var domains = new List<string>();
        string? defaultDomain = null;
        string? initialDomain = null;
        if (organization.TryGetProperty("verifiedDomains", out var verified) && verified.ValueKind == JsonValueKind.Array)
        {
            foreach (var domain in verified.EnumerateArray())
            {
                if (Text(domain, "name") is not { Length: > 0 } name)
                {
                    continue;
                }

                domains.Add(name);
                if (Flag(domain, "isDefault"))
                {
                    defaultDomain ??= name;
                }

                if (Flag(domain, "isInitial"))
                {
                    initialDomain ??= name;
                }
            }
        }

        return new TenantInfo
        {
            Id = Text(organization, "id") ?? throw new DirectoryException("Microsoft Graph returned an organization without an id.", DirectoryErrorKind.InvalidResponse),
            DisplayName = Text(organization, "displayName"),
            DefaultDomain = defaultDomain ?? initialDomain ?? domains.FirstOrDefault(),
            InitialDomain = initialDomain,
            VerifiedDomains = domains,
        };
    }

    private async Task<TenantInfo> GetTenantInfoAsync(GraphServiceClient client, DirectoryConnectionOptions connection, CancellationToken cancellationToken)
    {
        var info = client.Organization.ToGetRequestInformation(c => c.QueryParameters.Select = ["id", "displayName", "verifiedDomains"]);
        using var document = await _transport.ReadDocumentAsync(client, info, new GraphCall(GraphOperation.ReadOrganization), connection, notFoundIsNull: false, cancellationToken).ConfigureAwait(false)
            ?? throw new DirectoryException("Microsoft Graph returned an empty answer for the organization.", DirectoryErrorKind.InvalidResponse);
        return ParseOrganization(document.RootElement);
    }

    private async Task<ConnectivityCheck> CheckTokenAsync(SyncProfile profile, CancellationToken cancellationToken)
    {
        try
        {
            _ = GraphClientProvider.NormalizeBaseUrl(profile.Connection.GraphBaseUrl);
            if (_clients.GetCredential(profile) is not { } credential)
            {
                return new ConnectivityCheck { Name = ConnectivityCheckNames.Token, Status = ConnectivityStatus.Passed, Message = "A ready access token is configured (Connection:AccessToken)." };
            }

            await credential.Credential.GetTokenAsync(new TokenRequestContext([credential.Scope]), cancellationToken).ConfigureAwait(false);
            return new ConnectivityCheck { Name = ConnectivityCheckNames.Token, Status = ConnectivityStatus.Passed, Message = "An access token for Microsoft Graph was issued." };
        }
        catch (DirectoryException ex)
        {
            return FromException(ConnectivityCheckNames.Token, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return FromException(ConnectivityCheckNames.Token, GraphErrors.FromToken(ex, profile.Connection));
        }
    }

    private async Task<(ConnectivityCheck Check, long? Count)> CheckGroupsAsync(GraphServiceClient client, SyncProfile profile, List<string> groups, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var groupId in groups)
        {
            var info = profile.Scope.IncludeNestedGroups
                ? client.Groups[groupId].TransitiveMembers.GraphUser.ToGetRequestInformation(c =>
                {
                    c.QueryParameters.Select = ["id"];
                    c.QueryParameters.Top = 1;
                    c.QueryParameters.Count = true;
                    c.Headers.Add("ConsistencyLevel", "eventual");
                })
                : client.Groups[groupId].Members.GraphUser.ToGetRequestInformation(c =>
                {
                    c.QueryParameters.Select = ["id"];
                    c.QueryParameters.Top = 1;
                    c.QueryParameters.Count = true;
                    c.Headers.Add("ConsistencyLevel", "eventual");
                });
            try
            {
                var page = await _transport.ReadPageAsync(client, info, new GraphPageReader(PropertySchema.Create([])), new GraphCall(GraphOperation.ReadGroupMembers, GroupId: groupId), profile.Connection, _transport.StartRead(client), cancellationToken).ConfigureAwait(false);
                total += page.Count ?? 0;
            }
            catch (DirectoryException ex)
            {
                return (FromException(ConnectivityCheckNames.Groups, ex), null);
            }
        }

        return (new ConnectivityCheck { Name = ConnectivityCheckNames.Groups, Status = ConnectivityStatus.Passed, Message = $"The members of {groups.Count} group(s) can be read ({total} user memberships)." }, total);
    }

    private async Task<ConnectivityCheck> CheckPhotosAsync(GraphServiceClient client, SyncProfile profile, string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return Skipped(ConnectivityCheckNames.Photos, "no user to read a photo of");
        }

        try
        {
            var info = client.Users[userId].Photo.ToGetRequestInformation();
            using var document = await _transport.ReadDocumentAsync(client, info, new GraphCall(GraphOperation.ReadPhoto, UserId: userId), profile.Connection, notFoundIsNull: true, cancellationToken).ConfigureAwait(false);
            return new ConnectivityCheck { Name = ConnectivityCheckNames.Photos, Status = ConnectivityStatus.Passed, Message = "Profile photos can be read." };
        }
        catch (DirectoryException ex) when (GraphDirectorySource.IsNoPhoto(ex))
        {
            // The sample user has no mailbox: the permission itself was accepted.
            return new ConnectivityCheck { Name = ConnectivityCheckNames.Photos, Status = ConnectivityStatus.Passed, Message = "Profile photos can be read (the sampled user has no photo)." };
        }
        catch (DirectoryException ex)
        {
            return FromException(ConnectivityCheckNames.Photos, ex);
        }
    }

    private async Task<(ConnectivityCheck Check, long? Count)> CheckFilterAsync(GraphServiceClient client, SyncProfile profile, CancellationToken cancellationToken)
    {
        var filter = profile.Scope.ODataFilter!.Trim();
        try
        {
            var page = await _transport.ReadPageAsync(client, CountingUsersRequest(client, filter), new GraphPageReader(PropertySchema.Create([])), new GraphCall(GraphOperation.ReadUsers, filter), profile.Connection, _transport.StartRead(client), cancellationToken).ConfigureAwait(false);
            string? clientSide;
            try
            {
                clientSide = ODataFilter.Parse(filter).ClientSideProblem;
            }
            catch (FormatException ex)
            {
                clientSide = ex.Message;
            }

            var counted = page.Count is { } n ? $" {n} user(s) match." : "";
            return clientSide is null
                ? (new ConnectivityCheck { Name = ConnectivityCheckNames.Filter, Status = ConnectivityStatus.Passed, Message = "Microsoft Graph accepts the filter." + counted }, page.Count)
                : (new ConnectivityCheck
                {
                    Name = ConnectivityCheckNames.Filter,
                    Status = ConnectivityStatus.Warning,
                    Setting = "Scope:ODataFilter",
                    Message = $"Microsoft Graph accepts the filter, but it cannot be applied to incremental (delta) results ({clientSide}), so every run reads all users.{counted}",
                }, page.Count);
        }
        catch (DirectoryException ex)
        {
            return (FromException(ConnectivityCheckNames.Filter, ex), null);
        }
    }

    /// <summary>Users with $top=1 and $count=true (advanced query) so the answer carries how many match.</summary>
    private static RequestInformation CountingUsersRequest(GraphServiceClient client, string? filter) => client.Users.ToGetRequestInformation(c =>
    {
        c.QueryParameters.Select = ["id"];
        c.QueryParameters.Top = 1;
        c.QueryParameters.Count = true;
        c.QueryParameters.Filter = filter;
        c.Headers.Add("ConsistencyLevel", "eventual");
    });

    private static ConnectivityCheck Skipped(string name, string why) => new() { Name = name, Status = ConnectivityStatus.Skipped, Message = "Skipped: " + why + "." };

    private static ConnectivityCheck FromException(string name, DirectoryException ex, ConnectivityStatus status = ConnectivityStatus.Failed) => new()
    {
        Name = name,
        Status = status,
        Message = ex.Message,
        MissingPermission = ex.MissingPermission,
        ErrorKind = ex.Kind,
        ErrorCode = ex.ErrorCode,
        Setting = SettingFor(ex.Kind),
    };

    private static string? SettingFor(DirectoryErrorKind kind) => kind switch
    {
        DirectoryErrorKind.InvalidCredentials or DirectoryErrorKind.ExpiredCredentials => "Connection:ClientSecret",
        DirectoryErrorKind.ApplicationNotFound => "Connection:ClientId",
        DirectoryErrorKind.TenantNotFound => "Connection:TenantId",
        DirectoryErrorKind.InvalidQuery => "Scope:ODataFilter",
        DirectoryErrorKind.NotFound => "Scope:GroupIds",
        DirectoryErrorKind.Configuration => "Connection",
        _ => null,
    };
}
