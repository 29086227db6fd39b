namespace EntraSync.Testing.Emulator;

/// <summary>One request the emulator answered, as recorded in <see cref="GraphEmulator.Requests"/>.</summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, string? tenantId, DateTimeOffset timestamp)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        Headers = headers;
        TenantId = tenantId;
        Timestamp = timestamp;
    }

    /// <summary>Gets the HTTP method.</summary>
    public string Method { get; }

    /// <summary>Gets the path and query as sent, e.g. <c>/v1.0/users?$top=999</c>.</summary>
    public string PathAndQuery { get; }

    /// <summary>Gets the request headers, without <c>Authorization</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the tenant the token selected, if any.</summary>
    public string? TenantId { get; internal set; }

    /// <summary>Gets the response status code (0 when the connection was reset before a response).</summary>
    public int StatusCode { get; internal set; }

    /// <summary>Gets the injected fault, if any: <c>status</c>, <c>cutOff</c> or <c>connectionReset</c>.</summary>
    public string? Fault { get; internal set; }

    /// <summary>Gets when the request arrived, by the emulator's clock.</summary>
    public DateTimeOffset Timestamp { get; }
}
