using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;

namespace EntraSync.Onboarding;

/// <summary>
/// Binds admin consent to the tenant the customer's admin signed in with, so an edited answer cannot link another
/// organization's directory. The answer's <c>tenant</c> query value comes from the admin's browser and can be edited
/// (to another customer's tenant that has already consented to the same app); it is never trusted on its own.
/// </summary>
/// <remarks>
/// <para>
/// Before the redirect, <see cref="CreateState"/> signs (HMAC-SHA256 with a key only the host knows) the product's
/// account, the tenant the consent is for and an expiry. <see cref="ParseCallback"/> accepts an answer only when its
/// state carries a valid signature (compared in constant time), has not expired, was created for the same account,
/// and names the same tenant. <see cref="AdminConsentResult.TenantId"/> is the tenant from the signed state.
/// </para>
/// <para>
/// The tenant passed to <see cref="CreateState"/> must itself come from something the customer cannot forge: the
/// <c>tid</c> claim of the admin's Microsoft sign-in to your product (the validated ID token), not a text box. A typed
/// tenant id only binds the answer to what was typed.
/// </para>
/// </remarks>
public sealed class AdminConsentVerifier
{
    private const string Version = "v1";
    private const int MinimumKeyBytes = 32;

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="AdminConsentVerifier"/> class.</summary>
    /// <param name="signingKey">
    /// At least 32 bytes of secret random data, kept in your secret store and the same on every instance that handles
    /// the consent callback (for example <c>RandomNumberGenerator.GetBytes(32)</c>, stored base64).
    /// </param>
    /// <param name="timeProvider">The clock for the state's expiry.</param>
    /// <exception cref="ArgumentException">The key is shorter than 32 bytes.</exception>
    public AdminConsentVerifier(ReadOnlySpan<byte> signingKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (signingKey.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The admin-consent signing key must be at least {MinimumKeyBytes} bytes of secret random data (it has {signingKey.Length}); generate one with RandomNumberGenerator.GetBytes(32) and keep it in your secret store.", nameof(signingKey));
        }

        _key = signingKey.ToArray();
        _time = timeProvider;
    }

    /// <summary>Gets how long a state, and so the admin's trip to the consent screen, is valid.</summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan StateLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Creates the signed state to send with <see cref="AdminConsent.BuildUrl"/>, bound to the account and tenant.</summary>
    /// <param name="accountId">The product's account (customer) being linked, as your app names it.</param>
    /// <param name="tenantId">
    /// The tenant id (GUID) to link: the <c>tid</c> claim of the signed-in admin. Put the same id in
    /// <see cref="AdminConsentRequest.Tenant"/> so Microsoft asks an administrator of that tenant.
    /// </param>
    /// <returns>The state (URL-safe).</returns>
    /// <exception cref="ArgumentException">The account is empty or the tenant id is not a GUID.</exception>
    public string CreateState(string accountId, string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        if (!Guid.TryParse(tenantId, out var tenant))
        {
            throw new ArgumentException("The tenant id must be the directory (tenant) id, a GUID: the tid claim of the admin who signed in.", nameof(tenantId));
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("acct", accountId);
            writer.WriteString("tid", tenant.ToString("D"));
            writer.WriteNumber("exp", (_time.GetUtcNow() + StateLifetime).ToUnixTimeSeconds());
            writer.WriteString("n", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            writer.WriteEndObject();
        }

        var signed = Version + "." + Base64Url.EncodeToString(buffer.WrittenSpan);
        return signed + "." + Base64Url.EncodeToString(Sign(signed));
    }

    /// <summary>
    /// Validates and reads the redirect back from admin consent: the state must be one this app signed, unexpired and
    /// for <paramref name="accountId"/>; then either <c>admin_consent=True</c> for the state's tenant, or <c>error</c>
    /// and <c>error_description</c>. An answer naming another tenant than the state's is refused
    /// (<see cref="AdminConsentStatus.TenantMismatch"/>).
    /// </summary>
    /// <param name="callback">The full URL the admin's browser came back to.</param>
    /// <param name="accountId">The product's account of the admin's session, which must be the one the state was created for.</param>
    /// <returns>The outcome; never throws for a bad callback.</returns>
    public AdminConsentResult ParseCallback(Uri callback, string accountId)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var query = HttpUtility.ParseQueryString(callback.IsAbsoluteUri ? callback.Query : callback.OriginalString.Split('?', 2) is [_, var q] ? q : "");
        if (!TryReadState(query["state"], out var boundAccount, out var boundTenant, out var expiresAt)
            || !string.Equals(boundAccount, accountId, StringComparison.Ordinal))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.StateMismatch,
                Message = "The consent answer does not belong to this sign-in (its state is missing, edited, or from another account): it was ignored and nothing was linked. Press Link account again.",
            };
        }

        if (_time.GetUtcNow() >= expiresAt)
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.StateExpired,
                AccountId = boundAccount,
                Message = $"The consent answer came too late (a link is valid for {StateLifetime.TotalMinutes:0.#} minutes): it was ignored and nothing was linked. Press Link account again.",
            };
        }

        var tenant = query["tenant"];
        var error = query["error"];
        var description = query["error_description"];
        if (!string.IsNullOrEmpty(error))
        {
            var declined = string.Equals(error, "access_denied", StringComparison.OrdinalIgnoreCase);
            return new AdminConsentResult
            {
                Status = declined ? AdminConsentStatus.Denied : AdminConsentStatus.Failed,
                AccountId = boundAccount,
                TenantId = boundTenant,
                Error = error,
                ErrorDescription = description,
                Message = declined
                    ? "Consent was not granted: " + (description ?? "the administrator declined") + ". An administrator (Global, Application or Cloud Application Administrator) must accept, ticking Consent on behalf of your organization."
                    : $"Consent failed ({error}): {description ?? "no description"}.",
            };
        }

        if (!string.Equals(query["admin_consent"], "True", StringComparison.OrdinalIgnoreCase))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.Failed,
                AccountId = boundAccount,
                TenantId = boundTenant,
                Message = "The consent answer says neither granted nor failed (admin_consent is missing). Press Link account again.",
            };
        }

        if (!Guid.TryParse(tenant, out var answered))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.Failed,
                AccountId = boundAccount,
                Message = "Consent was granted but the answer has no valid tenant id. Press Link account again.",
            };
        }

        if (!string.Equals(answered.ToString("D"), boundTenant, StringComparison.OrdinalIgnoreCase))
        {
            return new AdminConsentResult
            {
                Status = AdminConsentStatus.TenantMismatch,
                AccountId = boundAccount,
                Message = $"The consent answer names tenant {answered:D}, but this link was started for tenant {boundTenant}: it was refused and nothing was linked. Sign in with the organization you want to link and press Link account again.",
            };
        }

        return new AdminConsentResult
        {
            Status = AdminConsentStatus.Granted,
            AccountId = boundAccount,
            TenantId = boundTenant,
            Scope = query["scope"],
            Message = $"Consent granted for tenant {boundTenant}.",
        };
    }

    private byte[] Sign(string signed) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(signed));

    private bool TryReadState(string? state, out string account, out string tenant, out DateTimeOffset expiresAt)
    {
        account = tenant = "";
        expiresAt = default;
        if (string.IsNullOrEmpty(state) || state.Length > 2048)
        {
            return false;
        }

        var parts = state.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            return false;
        }

        byte[] payload;
        byte[] mac;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[1]);
            mac = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Sign(parts[0] + "." + parts[1])))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("acct", out var a) || a.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("tid", out var t) || t.ValueKind != JsonValueKind.String || !Guid.TryParse(t.GetString(), out var tid)
                || !root.TryGetProperty("exp", out var e) || !e.TryGetInt64(out var exp))
            {
                return false;
            }

            account = a.GetString()!;
            tenant = tid.ToString("D");
            expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
