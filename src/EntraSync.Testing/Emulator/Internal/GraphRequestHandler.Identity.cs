using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>The Entra (login.microsoftonline.com) endpoints the client-credentials flow uses.</summary>
internal sealed partial class GraphRequestHandler
{
    private const string GraphDefaultScope = "https://graph.microsoft.com/.default";

    private async Task HandleIdentityAsync(GraphCall call, string[] s)
    {
        var context = call.Context;
        var tenantId = s[0];

        // Instance discovery (MSAL skips it when DisableInstanceDiscovery is set).
        if (tenantId.Equals("common", StringComparison.OrdinalIgnoreCase) && s.Length >= 2 && s[1].Equals("discovery", StringComparison.OrdinalIgnoreCase))
        {
            var host = context.Request.Host.Value;
            var body = $$"""{"tenant_discovery_endpoint":"{{context.Request.Scheme}}://{{host}}/common/v2.0/.well-known/openid-configuration","api-version":"1.1","metadata":[{"preferred_network":"{{host}}","preferred_cache":"{{host}}","aliases":["{{host}}"]}]}""";
            await call.SendAsync(200, System.Text.Encoding.UTF8.GetBytes(body), "application/json; charset=utf-8").ConfigureAwait(false);
            return;
        }

        if (s[^1].Equals("openid-configuration", StringComparison.OrdinalIgnoreCase))
        {
            var issuerTenant = tenantId;
            var root = context.Request.Scheme + "://" + context.Request.Host.Value + "/" + issuerTenant;
            var body = $$"""{"token_endpoint":"{{root}}/oauth2/v2.0/token","authorization_endpoint":"{{root}}/oauth2/v2.0/authorize","issuer":"https://login.microsoftonline.com/{{issuerTenant}}/v2.0","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],"response_types_supported":["code","id_token","code id_token","id_token token"],"tenant_region_scope":"EU"}""";
            await call.SendAsync(200, System.Text.Encoding.UTF8.GetBytes(body), "application/json; charset=utf-8").ConfigureAwait(false);
            return;
        }

        if (!(s.Length == 4 && s[2].Equals("v2.0", StringComparison.OrdinalIgnoreCase) && s[3].Equals("token", StringComparison.OrdinalIgnoreCase)) || !HttpMethods.IsPost(context.Request.Method))
        {
            await AadErrorAsync(call, 404, "invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST requests.").ConfigureAwait(false);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await AadErrorAsync(call, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var tenant = emulator.FindTenant(tenantId);
        if (tenant is null)
        {
            await AadErrorAsync(call, 400, "invalid_request", 90002, $"AADSTS90002: Tenant '{tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(form["grant_type"], "client_credentials", StringComparison.Ordinal))
        {
            await AadErrorAsync(call, 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.").ConfigureAwait(false);
            return;
        }

        string clientId = form["client_id"].ToString();
        if (string.IsNullOrEmpty(clientId))
        {
            await AadErrorAsync(call, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.").ConfigureAwait(false);
            return;
        }

        var scope = form["scope"].ToString();
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(GraphDefaultScope, StringComparer.OrdinalIgnoreCase))
        {
            await AadErrorAsync(call, 400, "invalid_scope", 1002012, $"AADSTS1002012: The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").ConfigureAwait(false);
            return;
        }

        var app = tenant.FindApplication(clientId);
        if (app is null)
        {
            await AadErrorAsync(call, 400, "unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant.Organization.DisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.").ConfigureAwait(false);
            return;
        }

        var secret = form["client_secret"].ToString();
        var assertion = form["client_assertion"].ToString();
        if (!string.IsNullOrEmpty(assertion))
        {
            if (!app.AcceptClientAssertion)
            {
                await AadErrorAsync(call, 401, "invalid_client", 700027, "AADSTS700027: Client assertion failed signature validation.").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            if (string.IsNullOrEmpty(secret) || !string.Equals(secret, app.ClientSecret, StringComparison.Ordinal))
            {
                await AadErrorAsync(call, 401, "invalid_client", 7000215, $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.").ConfigureAwait(false);
                return;
            }

            if (app.SecretExpiresAt is { } expires && emulator.TimeProvider.GetUtcNow() >= expires)
            {
                await AadErrorAsync(call, 401, "invalid_client", 7000222, $"AADSTS7000222: The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.").ConfigureAwait(false);
                return;
            }
        }

        call.Entry.TenantId = tenant.Id;
        var now = emulator.TimeProvider.GetUtcNow();
        var token = AccessTokens.Create(tenant.Id, clientId, now, now.AddSeconds(3599), null);
        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", 3599);
            writer.WriteNumber("ext_expires_in", 3599);
            writer.WriteString("access_token", token);
            writer.WriteEndObject();
        }

        call.Context.Response.Headers.CacheControl = "no-store, no-cache";
        await call.SendAsync(200, buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8").ConfigureAwait(false);
    }

    private static Task AadErrorAsync(GraphCall call, int status, string error, int code, string description)
    {
        var traceId = call.RequestId;
        var correlationId = call.Context.Request.Headers.TryGetValue("client-request-id", out var c) ? c.ToString() : Guid.NewGuid().ToString();
        var timestamp = call.Date().Replace('T', ' ') + "Z";
        var full = $"{description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}";
        using var buffer = new ResponseBuffer(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", full);
            writer.WriteStartArray("error_codes");
            writer.WriteNumberValue(code);
            writer.WriteEndArray();
            writer.WriteString("timestamp", timestamp);
            writer.WriteString("trace_id", traceId);
            writer.WriteString("correlation_id", correlationId);
            writer.WriteString("error_uri", $"https://login.microsoftonline.com/error?code={code}");
            writer.WriteEndObject();
        }

        return call.SendAsync(status, buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }
}
