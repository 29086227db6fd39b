using System.Text.Json;

namespace EntraSync.Graph.Internal;

/// <summary>
/// The read-only rule toward Microsoft Graph: a request may be a GET to anything on the configured Graph; a JSON batch
/// (<c>POST /$batch</c>) whose every sub-request is a GET under <c>/users/</c> (photos are read that way); or one of the
/// three change-notification subscription writes (opt-in, see docs/change-notifications.md):
/// <c>POST /subscriptions</c>, <c>PATCH /subscriptions/{id}</c>, <c>DELETE /subscriptions/{id}</c>. Nothing else.
/// </summary>
internal static class GraphWriteGuard
{
    /// <summary>Microsoft Graph's most sub-requests per JSON batch.</summary>
    public const int MaxBatchRequests = 20;

    private static readonly HashSet<string> SubRequestMembers = new(StringComparer.Ordinal) { "id", "method", "url", "headers", "dependsOn" };

    /// <summary>
    /// Gets whether a request may be sent; the path is read after the version segment (<c>/v1.0</c>, <c>/beta</c>).
    /// A <c>POST /$batch</c> is allowed here only as far as its address goes: <see cref="IsReadOnlyBatch"/> must also
    /// accept its body (see <see cref="IsBatch"/>).
    /// </summary>
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

        if (IsBatch(method, uri))
        {
            return true;
        }

        // Segments: version, "subscriptions", [id].
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var isSubscriptions = segments.Length >= 2 && segments[1].Equals("subscriptions", StringComparison.OrdinalIgnoreCase);
        return isSubscriptions && (segments.Length == 2
            ? method == HttpMethod.Post
            : segments.Length == 3 && segments[2].Length > 0 && (method == HttpMethod.Patch || method == HttpMethod.Delete));
    }

    /// <summary>Gets whether a request is a JSON batch: <c>POST /{version}/$batch</c>, no query.</summary>
    public static bool IsBatch(HttpMethod method, Uri? uri)
    {
        if (method != HttpMethod.Post || uri is not { IsAbsoluteUri: true } || uri.Query.Length > 0)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length == 2 && segments[1] == "$batch";
    }

    /// <summary>
    /// Gets whether a JSON batch body only reads: an object whose only member is <c>requests</c>, a list of 1 to 20
    /// objects, each with a text <c>id</c>, <c>method</c> <c>GET</c>, a relative <c>url</c> under <c>/users/</c> (no
    /// scheme, host, <c>..</c>, backslash or nested batch) and no <c>body</c>.
    /// </summary>
    public static bool IsReadOnlyBatch(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var count = 0;
            foreach (var member in root.EnumerateObject())
            {
                if (member.Name != "requests" || member.Value.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }

                foreach (var request in member.Value.EnumerateArray())
                {
                    if (++count > MaxBatchRequests || !IsReadOnlySubRequest(request))
                    {
                        return false;
                    }
                }
            }

            return count > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The refusal of a request the rule does not allow; it never reaches the network.</summary>
    public static GraphLinkRefusedException Refused(HttpRequestMessage request) =>
        new($"a {request.Method} request to {request.RequestUri?.AbsolutePath ?? "(no address)"} was refused before it was sent: EntraSync only reads from Microsoft Graph (GET), except JSON batches (POST /$batch) whose every sub-request is a GET under /users/, and creating, renewing and deleting change-notification subscriptions (POST /subscriptions, PATCH and DELETE /subscriptions/{{id}})");

    private static bool IsReadOnlySubRequest(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        string? id = null, method = null, url = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in request.EnumerateObject())
        {
            if (!SubRequestMembers.Contains(member.Name) || !seen.Add(member.Name))
            {
                // "body" above all: a GET carries none, and an unknown member may mean something to Graph. A member
                // given twice ("method": "DELETE", "method": "GET") is refused: Graph might read the other one.
                return false;
            }

            switch (member.Name)
            {
                case "id":
                    id = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    break;
                case "method":
                    method = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    break;
                case "url":
                    url = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    break;
            }
        }

        return !string.IsNullOrEmpty(id)
            && string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase)
            && url is not null
            && url.StartsWith("/users/", StringComparison.OrdinalIgnoreCase)
            && url.Length > "/users/".Length
            && !url.Contains("..", StringComparison.Ordinal)
            && !url.Contains("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal)
            && !url.Contains(':', StringComparison.Ordinal)
            && !url.Contains("$batch", StringComparison.OrdinalIgnoreCase)
            && !url.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            && !url.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            && !url.Contains("%5c", StringComparison.OrdinalIgnoreCase)
            && !url.Any(char.IsControl);
    }
}
