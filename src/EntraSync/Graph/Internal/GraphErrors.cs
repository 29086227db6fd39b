using System.Net;
using System.Text.RegularExpressions;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace EntraSync.Graph.Internal;

/// <summary>What a Graph request was for, so its error can name the permission or setting to fix.</summary>
internal enum GraphOperation
{
    ReadUsers,
    ReadUser,
    ReadDelta,
    ReadGroup,
    ReadGroupMembers,
    ReadPhoto,
    ReadOrganization,
}

/// <summary>A Graph call's purpose and the settings behind it, for error messages.</summary>
internal readonly record struct GraphCall(GraphOperation Operation, string? Filter = null, string? GroupId = null, string? UserId = null)
{
    /// <summary>Gets the request's path (no query: it can hold tokens), named in messages about its response.</summary>
    public string? Path { get; init; }
}

/// <summary>
/// Turns Entra token errors, Graph error responses and transport failures into <see cref="DirectoryException"/>s an IT
/// admin can act on: what is wrong, the permission or setting to fix, and Graph's own code. Codes are matched, never
/// messages (Graph's advice), and secrets never appear (the texts are built from ids and codes only).
/// </summary>
internal static partial class GraphErrors
{
    public const string UserReadAll = "User.Read.All";
    public const string GroupMemberReadAll = "GroupMember.Read.All";
    public const string ProfilePhotoReadAll = "ProfilePhoto.Read.All";
    public const string OrganizationReadAll = "Organization.Read.All";

    /// <summary>Gets the least-privileged application permission a call needs.</summary>
    public static string PermissionFor(GraphOperation operation) => operation switch
    {
        GraphOperation.ReadGroup or GraphOperation.ReadGroupMembers => GroupMemberReadAll,
        GraphOperation.ReadPhoto => ProfilePhotoReadAll,
        GraphOperation.ReadOrganization => OrganizationReadAll,
        _ => UserReadAll,
    };

    /// <summary>Gets whether the error says the delta link can no longer be used (expired token or synchronization reset).</summary>
    public static bool IsDeltaReset(Exception exception, out string reason)
    {
        if (exception is ApiException api)
        {
            var code = (exception as ODataError)?.Error?.Code;
            if (api.ResponseStatusCode == (int)HttpStatusCode.Gone)
            {
                reason = "Microsoft Graph reset change tracking for the tenant (410 Gone" + (code is null ? "" : ", " + code) + "), so this run read everything";
                return true;
            }

            if (string.Equals(code, "syncStateNotFound", StringComparison.OrdinalIgnoreCase))
            {
                reason = "the delta link expired (Graph keeps change tracking for 7 days; syncStateNotFound), so this run read everything";
                return true;
            }

            if (string.Equals(code, "resyncRequired", StringComparison.OrdinalIgnoreCase))
            {
                reason = "Microsoft Graph asked for a full resynchronization (resyncRequired), so this run read everything";
                return true;
            }
        }

        reason = "";
        return false;
    }

    public static DirectoryException Translate(Exception exception, GraphCall call, DirectoryConnectionOptions connection)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            DirectoryException directory => directory,
            AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Translate(aggregate.InnerExceptions[^1], call, connection),
            AuthenticationFailedException or CredentialUnavailableException => FromToken(exception, connection),
            ODataError odata => FromGraph(odata.ResponseStatusCode, odata.Error?.Code, odata.Error?.Message, odata.Error?.InnerError?.RequestId, call, connection, exception),
            ApiException api => FromGraph(api.ResponseStatusCode, null, null, null, call, connection, exception),
            GraphResponseException response => new DirectoryException(
                $"Microsoft Graph's response {To(call)}while {Doing(call)} could not be read: {response.Message}. The read is incomplete, so nobody was removed; "
                    + (response is GraphResponseTooLargeException large ? $"raise {large.Option} if the tenant's data really is this large." : "the next run reads again. If it keeps happening, check any proxy or gateway between this app and Microsoft Graph."),
                DirectoryErrorKind.InvalidResponse,
                exception),
            GraphLinkRefusedException refused => new DirectoryException(
                $"Microsoft Graph's response {To(call)}while {Doing(call)} was not followed: {refused.Message}. The read is incomplete, so nobody was removed; the next run reads again. If it keeps happening, check any proxy or gateway between this app and Microsoft Graph.",
                DirectoryErrorKind.InvalidResponse,
                exception),
            HttpRequestException http when http.InnerException is IOException || http.HttpRequestError is HttpRequestError.ResponseEnded => new DirectoryException(
                $"The connection to Microsoft Graph broke while {Doing(call)} ({http.Message}). The read is incomplete, so nobody was removed; the next run reads again.",
                DirectoryErrorKind.InvalidResponse,
                exception),
            HttpRequestException http => new DirectoryException(
                $"Microsoft Graph could not be reached at {Host(connection.GraphBaseUrl)} while {Doing(call)}: {http.Message} Check the network, proxy and Connection:GraphBaseUrl.",
                DirectoryErrorKind.Unavailable,
                exception),
            IOException io => new DirectoryException(
                $"The response from Microsoft Graph was cut off while {Doing(call)} ({io.Message}). The read is incomplete, so nobody was removed; the next run reads again.",
                DirectoryErrorKind.InvalidResponse,
                exception),
            TimeoutException or TaskCanceledException or OperationCanceledException => new DirectoryException(
                $"Microsoft Graph did not answer in time while {Doing(call)}. The next run tries again; if it keeps happening, raise GraphSourceOptions.RequestTimeout.",
                DirectoryErrorKind.Unavailable,
                exception),
            _ => new DirectoryException($"Reading the directory failed while {Doing(call)}: {exception.Message}", DirectoryErrorKind.Unknown, exception),
        };
    }

    /// <summary>Translates a failure to get a token from Entra ID (wrong secret, unknown app or tenant, expired secret...).</summary>
    public static DirectoryException FromToken(Exception exception, DirectoryConnectionOptions connection)
    {
        if (Unreachable(exception) is { } network)
        {
            // No answer from Entra ID at all: the credentials were never checked, so do not send the admin to them.
            var authority = Uri.TryCreate(connection.AuthorityHost, UriKind.Absolute, out var host) ? host.Host : connection.AuthorityHost;
            return new DirectoryException(
                $"Entra ID's sign-in endpoint {authority} could not be reached ({FirstSentence(network.Message)}), so no token was obtained and the credentials were not checked. Check the network, proxy and Connection:AuthorityHost.",
                DirectoryErrorKind.Unavailable,
                exception);
        }

        var text = Flatten(exception);
        var match = AadstsPattern().Match(text);
        var code = match.Success ? "AADSTS" + match.Groups[1].Value : null;
        var app = string.IsNullOrWhiteSpace(connection.ClientId) ? "the app" : $"app {connection.ClientId}";
        var tenant = string.IsNullOrWhiteSpace(connection.TenantId) ? "the tenant" : $"tenant {connection.TenantId}";
        var (kind, message) = match.Success ? match.Groups[1].Value switch
        {
            "7000215" => (DirectoryErrorKind.InvalidCredentials, $"The client secret for {app} is wrong ({code}). Copy the secret's Value (not its Secret ID) from App registrations > Certificates & secrets into Connection:ClientSecret."),
            "7000222" => (DirectoryErrorKind.ExpiredCredentials, $"The client secret for {app} has expired ({code}). Create a new client secret under App registrations > Certificates & secrets and put its Value in Connection:ClientSecret."),
            "700016" => (DirectoryErrorKind.ApplicationNotFound, $"No application with client id {connection.ClientId} exists in {tenant} ({code}). Check Connection:ClientId; for a multi-tenant app, an admin of the tenant must first grant consent (Link account)."),
            "7000229" => (DirectoryErrorKind.ApplicationNotFound, $"{Capital(app)} has no service principal in {tenant} ({code}): an admin of the tenant must grant consent to it (Link account)."),
            "90002" or "900023" or "90013" => (DirectoryErrorKind.TenantNotFound, $"{Capital(tenant)} was not found ({code}). Check Connection:TenantId: use the Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com, and Connection:AuthorityHost for national clouds."),
            "700027" or "700024" or "700023" or "50012" => (DirectoryErrorKind.InvalidCredentials, $"Entra ID did not accept the certificate for {app} ({code}). Upload the certificate's public key under App registrations > Certificates & secrets and check Connection:CertificatePath; check that it has not expired."),
            "7000112" => (DirectoryErrorKind.Configuration, $"{Capital(app)} is disabled in {tenant} ({code}). Enable the enterprise application (Properties > Enabled for users to sign-in)."),
            "65001" => (DirectoryErrorKind.PermissionMissing, $"{Capital(app)} has not been granted consent in {tenant} ({code}). An admin must grant admin consent for its Microsoft Graph permissions."),
            "53003" or "53000" or "50076" or "50079" => (DirectoryErrorKind.Configuration, $"A Conditional Access policy in {tenant} blocked the token for {app} ({code}). Exclude the app's service principal from the policy."),
            _ => (DirectoryErrorKind.InvalidCredentials, $"Entra ID refused a token for {app} in {tenant} ({code}: {FirstSentence(AfterCode(text, match))})."),
        } : exception is CredentialUnavailableException
            ? (DirectoryErrorKind.Configuration, $"The credential for {tenant} is not available on this machine: {FirstSentence(exception.Message)}")
            : (DirectoryErrorKind.InvalidCredentials, $"No token could be obtained for {app} in {tenant}: {FirstSentence(exception.Message)} Check Connection:TenantId, Connection:ClientId and the secret or certificate.");
        return new DirectoryException(message, kind, exception) { ErrorCode = code };
    }

    internal static DirectoryException FromGraph(int status, string? code, string? graphMessage, string? requestId, GraphCall call, DirectoryConnectionOptions connection, Exception exception)
    {
        var said = code is null ? $"HTTP {status}" : $"{code}: {graphMessage}";
        var trace = requestId is null ? "" : $" (request-id {requestId})";
        DirectoryException Make(string message, DirectoryErrorKind kind, string? permission = null) =>
            new(message + trace, kind, exception) { ErrorCode = code, MissingPermission = permission };

        if (status == 401)
        {
            return Make($"Microsoft Graph rejected the access token while {Doing(call)} ({said}). Check the app's credentials (Connection:ClientSecret, Connection:CertificatePath or Connection:AccessToken) and that the token is for Microsoft Graph in this tenant.", DirectoryErrorKind.InvalidCredentials);
        }

        if (status == 403)
        {
            var permission = PermissionFor(call.Operation);
            var app = string.IsNullOrWhiteSpace(connection.ClientId) ? "The app" : $"App {connection.ClientId}";
            return Make($"{app} is not allowed to {Purpose(call)}: it needs the Microsoft Graph application permission {permission} with admin consent ({said}). In the Entra admin center: App registrations > API permissions > Add a permission > Microsoft Graph > Application permissions > {permission}, then Grant admin consent.", DirectoryErrorKind.PermissionMissing, permission);
        }

        if (status == 404)
        {
            return call.Operation switch
            {
                GraphOperation.ReadGroup or GraphOperation.ReadGroupMembers => Make($"The group {call.GroupId} (Scope:GroupIds or Scope:MemberOfGroupIds) does not exist in the tenant ({said}). Use the group's Object ID from the Entra admin center, or remove it.", DirectoryErrorKind.NotFound),
                _ => Make($"Microsoft Graph found nothing while {Doing(call)} ({said}).", DirectoryErrorKind.NotFound),
            };
        }

        if (status == 429)
        {
            return Make($"Microsoft Graph kept throttling requests while {Doing(call)} ({said}) after every retry allowed (GraphSourceOptions.MaxRetries). The read is incomplete, so nobody was removed; the next run continues. If it persists, spread the tenants' schedules.", DirectoryErrorKind.Throttled);
        }

        if (status == 501)
        {
            return Make($"Microsoft Graph cannot return one of the selected properties on a list of users ({said}); properties such as skills, aboutMe, birthday, hireDate, interests, mySite, pastProjects, preferredName, responsibilities, schools and mailboxSettings are single-user only. Remove it from the field map.", DirectoryErrorKind.InvalidQuery);
        }

        if (status >= 500)
        {
            return Make($"Microsoft Graph was unavailable while {Doing(call)} ({said}) after every retry allowed. The read is incomplete, so nobody was removed; the next run tries again.", DirectoryErrorKind.Unavailable);
        }

        // A delta request carries no $filter, but it selects the filter's properties: Graph's 400 is the filter's
        // fault when its message points at one of the filter's clauses.
        if (status == 400 && !string.IsNullOrWhiteSpace(call.Filter)
            && (call.Operation != GraphOperation.ReadDelta || FindClause(call.Filter, graphMessage, exact: true) is not null))
        {
            var clause = FindClause(call.Filter, graphMessage);
            return Make($"Microsoft Graph rejected the directory filter (Scope:ODataFilter) \"{call.Filter}\": {graphMessage ?? "bad request"} ({code ?? "HTTP 400"})." + (clause is null ? "" : $" Offending clause: {clause}.") + " Fix the filter; supported operators are listed in docs/troubleshooting.md.", DirectoryErrorKind.InvalidQuery);
        }

        return Make($"Microsoft Graph rejected the request while {Doing(call)} ({said}).", status == 400 ? DirectoryErrorKind.InvalidQuery : DirectoryErrorKind.Unknown);
    }

    /// <summary>Finds the clause of the filter that Graph's message points at (a quoted property or operator name).</summary>
    internal static string? FindClause(string filter, string? graphMessage, bool exact = false)
    {
        if (string.IsNullOrWhiteSpace(graphMessage))
        {
            return null;
        }

        var clauses = ODataFilter.SplitClauses(filter);
        var hints = QuotedPattern().Matches(graphMessage).Select(m => m.Groups[1].Value).Where(h => h.Length > 1).ToList();
        foreach (var hint in hints)
        {
            foreach (var clause in clauses)
            {
                if (clause.Contains(hint, StringComparison.OrdinalIgnoreCase))
                {
                    return clause;
                }
            }
        }

        return clauses.Count == 1 && !exact ? clauses[0] : null;
    }

    private static string To(GraphCall call) => call.Path is null ? "" : $"to GET {call.Path} ";

    private static string Doing(GraphCall call) => call.Operation switch
    {
        GraphOperation.ReadUsers => "reading users",
        GraphOperation.ReadUser => $"reading the user {call.UserId}",
        GraphOperation.ReadDelta => "reading changes (users delta)",
        GraphOperation.ReadGroup => $"reading the group {call.GroupId}",
        GraphOperation.ReadGroupMembers => $"reading the members of group {call.GroupId}",
        GraphOperation.ReadPhoto => $"reading the photo of {call.UserId}",
        _ => "reading the organization",
    };

    private static string Purpose(GraphCall call) => call.Operation switch
    {
        GraphOperation.ReadGroup or GraphOperation.ReadGroupMembers => $"read the members of group {call.GroupId}",
        GraphOperation.ReadPhoto => "read profile photos",
        GraphOperation.ReadOrganization => "read the organization (tenant name and domains)",
        _ => "read users",
    };

    private static string Host(string baseUrl) => Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.Host : baseUrl;

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The network failure under a token error (no connection, DNS, TLS), or <see langword="null"/> when Entra ID answered.</summary>
    private static Exception? Unreachable(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var e))
        {
            if (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
                return e;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } next)
            {
                pending.Push(next);
            }
        }

        return null;
    }

    private static string Flatten(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            parts.Add(e.Message);
        }

        return string.Join(" | ", parts);
    }

    private static string AfterCode(string text, Match match)
    {
        var rest = text[(match.Index + match.Length)..].TrimStart(':', ' ');
        return rest.Length == 0 ? text : rest;
    }

    private static string FirstSentence(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        var end = line.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? line[..(end + 1)] : line;
    }

    [GeneratedRegex(@"AADSTS(\d{5,7})")]
    private static partial Regex AadstsPattern();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedPattern();
}
