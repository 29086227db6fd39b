namespace EntraSync.Graph.Internal;

/// <summary>
/// The read-only rule toward Microsoft Graph: a request may be a GET to anything on the configured Graph, or one of
/// the three change-notification subscription writes (opt-in, see docs/change-notifications.md) and nothing else:
/// <c>POST /subscriptions</c>, <c>PATCH /subscriptions/{id}</c>, <c>DELETE /subscriptions/{id}</c>.
/// </summary>
internal static class GraphWriteGuard
{
    /// <summary>Gets whether a request may be sent; the path is read after the version segment (<c>/v1.0</c>, <c>/beta</c>).</summary>
    public static bool IsAllowed(HttpMethod method, Uri? uri)
    {
        if (method == HttpMethod.Get)
        {
            return true;
        }

        if (uri is not { IsAbsoluteUri: true } || uri.Query.Length > 0)
        {
            return false;
        }

        // Segments: version, "subscriptions", [id].
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var isSubscriptions = segments.Length >= 2 && segments[1].Equals("subscriptions", StringComparison.OrdinalIgnoreCase);
        return isSubscriptions && (segments.Length == 2
            ? method == HttpMethod.Post
            : segments.Length == 3 && segments[2].Length > 0 && (method == HttpMethod.Patch || method == HttpMethod.Delete));
    }

    /// <summary>The refusal of a request the rule does not allow; it never reaches the network.</summary>
    public static GraphLinkRefusedException Refused(HttpRequestMessage request) =>
        new($"a {request.Method} request to {request.RequestUri?.AbsolutePath ?? "(no address)"} was refused before it was sent: EntraSync only reads from Microsoft Graph (GET), except creating, renewing and deleting change-notification subscriptions (POST /subscriptions, PATCH and DELETE /subscriptions/{{id}})");
}
