using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>
/// Unsigned JWT-shaped access tokens (<c>alg: none</c>) whose <c>tid</c> claim selects the tenant. The emulator
/// never checks a signature; a token with an <c>exp</c> claim is refused after that time by the emulator's clock.
/// </summary>
internal static class AccessTokens
{
    private static readonly string Header = Base64Url.EncodeToString("{\"typ\":\"JWT\",\"alg\":\"none\"}"u8);

    public static string Create(string tenantId, string? appId, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, IEnumerable<string>? roles)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("aud", "https://graph.microsoft.com");
            writer.WriteString("iss", $"https://sts.windows.net/{tenantId}/");
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
            if (expiresAt is { } exp)
            {
                writer.WriteNumber("exp", exp.ToUnixTimeSeconds());
            }

            writer.WriteString("appid", appId ?? "00000000-0000-0000-0000-00000000e5e5");
            writer.WriteString("idtyp", "app");
            writer.WriteString("tid", tenantId);
            if (roles is not null)
            {
                writer.WriteStartArray("roles");
                foreach (var role in roles)
                {
                    writer.WriteStringValue(role);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("ver", "1.0");
            writer.WriteEndObject();
        }

        return Header + "." + Base64Url.EncodeToString(stream.ToArray()) + ".";
    }

    /// <summary>Reads tid and exp from a JWT-shaped token; IsJwt is false for any other token.</summary>
    public static (bool IsJwt, string? TenantId, long? ExpiresAtUnix) Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (false, null, null);
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            var tid = root.TryGetProperty("tid", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            long? exp = root.TryGetProperty("exp", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null;
            return (true, tid, exp);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return (false, null, null);
        }
    }

    public static string Base64UrlJson(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
