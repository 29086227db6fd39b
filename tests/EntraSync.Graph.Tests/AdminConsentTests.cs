using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Web;
using EntraSync.Onboarding;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Graph.Tests;

public sealed class AdminConsentTests
{
    private const string ClientId = "2ab1d0c3-1111-4222-8333-444455556666";
    private static readonly Uri Redirect = new("https://app.example.com/entra/consent-callback");

    [Fact]
    public void The_url_asks_the_v2_admin_consent_endpoint_for_graphs_default_scope()
    {
        var url = AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = ClientId, RedirectUri = Redirect, State = "abc/+=" });

        Assert.Equal("https://login.microsoftonline.com/organizations/v2.0/adminconsent", url.GetLeftPart(UriPartial.Path));
        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(ClientId, query["client_id"]);
        Assert.Equal("https://graph.microsoft.com/.default", query["scope"]);
        Assert.Equal(Redirect.AbsoluteUri, query["redirect_uri"]);
        Assert.Equal("abc/+=", query["state"]);
    }

    [Fact]
    public void National_clouds_change_the_authority_and_the_scope()
    {
        var url = AdminConsent.BuildUrl(new AdminConsentRequest
        {
            ClientId = ClientId,
            RedirectUri = Redirect,
            State = "s",
            Tenant = "contoso.onmicrosoft.us",
            AuthorityHost = "https://login.microsoftonline.us/",
            GraphBaseUrl = "https://graph.microsoft.us/v1.0",
        });

        Assert.StartsWith("https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0/adminconsent?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("https://graph.microsoft.us/.default", HttpUtility.ParseQueryString(url.Query)["scope"]);
    }

    [Theory]
    [InlineData("not-a-guid", "https://app.example.com/cb", "s", "ClientId")]
    [InlineData(ClientId, "http://app.example.com/cb", "s", "RedirectUri")]
    [InlineData(ClientId, "https://app.example.com/cb#x", "s", "RedirectUri")]
    [InlineData(ClientId, "https://app.example.com/cb", " ", "State")]
    public void Bad_requests_name_the_value_to_fix(string clientId, string redirect, string state, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = clientId, RedirectUri = new Uri(redirect), State = state }));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Localhost_redirects_may_use_http()
    {
        Assert.NotNull(AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = ClientId, RedirectUri = new Uri("http://localhost:5000/cb"), State = "s" }));
    }

    [Fact]
    public void A_granted_answer_for_the_states_tenant_gives_that_tenant_and_account()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState(Account, Tenant);

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={Tenant}&scope=https%3a%2f%2fgraph.microsoft.com%2f.default", state), Account);

        Assert.Equal(AdminConsentStatus.Granted, result.Status);
        Assert.Equal(Tenant, result.TenantId);
        Assert.Equal(Account, result.AccountId);
        Assert.Equal("https://graph.microsoft.com/.default", result.Scope);
    }

    [Fact]
    public void An_answer_whose_tenant_was_edited_is_refused_and_names_both_tenants()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState(Account, Tenant);

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={OtherTenant}", state), Account);

        Assert.Equal(AdminConsentStatus.TenantMismatch, result.Status);
        Assert.False(result.IsGranted);
        Assert.Null(result.TenantId);
        Assert.Contains(OtherTenant, result.Message, StringComparison.Ordinal);
        Assert.Contains($"this link was started for tenant {Tenant}", result.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was linked", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_whose_tenant_was_edited_fails_its_signature()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState(Account, Tenant);
        var parts = state.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace(Tenant, OtherTenant, StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={OtherTenant}", forged), Account);

        Assert.Equal(AdminConsentStatus.StateMismatch, result.Status);
        Assert.Null(result.TenantId);
    }

    [Fact]
    public void A_state_signed_with_another_key_is_refused()
    {
        var (verifier, time) = Verifier();
        var attacker = new AdminConsentVerifier(RandomNumberGenerator.GetBytes(32), time);

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={OtherTenant}", attacker.CreateState(Account, OtherTenant)), Account);

        Assert.Equal(AdminConsentStatus.StateMismatch, result.Status);
    }

    [Fact]
    public void A_state_created_for_another_account_is_refused()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState("fabrikam", Tenant);

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={Tenant}", state), Account);

        Assert.Equal(AdminConsentStatus.StateMismatch, result.Status);
        Assert.Null(result.TenantId);
    }

    [Fact]
    public void An_expired_state_is_refused()
    {
        var (verifier, time) = Verifier();
        var state = verifier.CreateState(Account, Tenant);
        time.Advance(TimeSpan.FromMinutes(15));

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={Tenant}", state), Account);

        Assert.Equal(AdminConsentStatus.StateExpired, result.Status);
        Assert.Null(result.TenantId);
        Assert.Contains("valid for 15 minutes", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_is_accepted_until_just_before_it_expires()
    {
        var (verifier, time) = Verifier();
        var state = verifier.CreateState(Account, Tenant);
        time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));

        Assert.True(verifier.ParseCallback(Answer($"admin_consent=True&tenant={Tenant}", state), Account).IsGranted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("v1.e30.AAAA")]
    [InlineData("v1.!!!.!!!")]
    [InlineData("v2.e30.AAAA")]
    public void Unsigned_or_malformed_states_are_ignored_whatever_the_answer_says(string state)
    {
        var (verifier, _) = Verifier();

        var result = verifier.ParseCallback(Answer($"admin_consent=True&tenant={Tenant}", state), Account);

        Assert.Equal(AdminConsentStatus.StateMismatch, result.Status);
        Assert.Null(result.TenantId);
    }

    [Fact]
    public void An_answer_without_a_state_is_ignored()
    {
        var (verifier, _) = Verifier();

        Assert.Equal(AdminConsentStatus.StateMismatch, verifier.ParseCallback(new Uri(Redirect + $"?admin_consent=True&tenant={Tenant}"), Account).Status);
    }

    [Fact]
    public void A_declined_answer_carries_the_error_and_description()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState(Account, Tenant);

        var result = verifier.ParseCallback(Answer("error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.", state), Account);

        Assert.Equal(AdminConsentStatus.Denied, result.Status);
        Assert.Equal("access_denied", result.Error);
        Assert.StartsWith("AADSTS65004", result.ErrorDescription, StringComparison.Ordinal);
        Assert.Contains("Consent on behalf of your organization", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_errors_fail_with_their_code()
    {
        var (verifier, _) = Verifier();
        var state = verifier.CreateState(Account, Tenant);

        var result = verifier.ParseCallback(Answer("error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+does+not+match.", state), Account);

        Assert.Equal(AdminConsentStatus.Failed, result.Status);
        Assert.Contains("AADSTS50011", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin_consent=True&tenant=not-a-guid")]
    [InlineData("tenant=84841066-274d-4ec0-a5c1-276be684bdd3")]
    [InlineData("admin_consent=False")]
    public void Incomplete_answers_fail(string query)
    {
        var (verifier, _) = Verifier();

        Assert.Equal(AdminConsentStatus.Failed, verifier.ParseCallback(Answer(query, verifier.CreateState(Account, Tenant)), Account).Status);
    }

    [Fact]
    public void States_are_url_safe_and_unique()
    {
        var (verifier, _) = Verifier();
        var a = verifier.CreateState(Account, Tenant);
        var b = verifier.CreateState(Account, Tenant);

        Assert.NotEqual(a, b);
        Assert.Equal(a, Uri.EscapeDataString(a));
    }

    [Fact]
    public void A_short_signing_key_is_refused_with_how_to_make_one()
    {
        var error = Assert.Throws<ArgumentException>(() => new AdminConsentVerifier(new byte[16], TimeProvider.System));

        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("RandomNumberGenerator.GetBytes(32)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("organizations")]
    public void A_state_is_only_created_for_a_tenant_id(string tenant)
    {
        var (verifier, _) = Verifier();

        Assert.Throws<ArgumentException>(() => verifier.CreateState(Account, tenant));
    }

    private const string Account = "contoso";
    private const string Tenant = "84841066-274d-4ec0-a5c1-276be684bdd3";
    private const string OtherTenant = "9f2c7a51-0b1e-4c6f-8d3a-5e4b2a1c0d9e";

    private static (AdminConsentVerifier Verifier, FakeTimeProvider Time) Verifier()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        return (new AdminConsentVerifier(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), time), time);
    }

    private static Uri Answer(string query, string state) => new(Redirect + "?" + query + "&state=" + Uri.EscapeDataString(state));
}
