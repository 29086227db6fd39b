using System.Web;
using EntraSync.Onboarding;

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
    public void A_granted_callback_gives_the_tenant()
    {
        var result = AdminConsent.ParseCallback(new Uri(Redirect + "?admin_consent=True&tenant=84841066-274d-4ec0-a5c1-276be684bdd3&state=xyz&scope=https%3a%2f%2fgraph.microsoft.com%2f.default"), "xyz");

        Assert.True(result.IsGranted);
        Assert.Equal("84841066-274d-4ec0-a5c1-276be684bdd3", result.TenantId);
        Assert.Equal("https://graph.microsoft.com/.default", result.Scope);
    }

    [Fact]
    public void A_declined_callback_carries_the_error_and_description()
    {
        var result = AdminConsent.ParseCallback(new Uri(Redirect + "?error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.&state=xyz"), "xyz");

        Assert.Equal(AdminConsentStatus.Denied, result.Status);
        Assert.Equal("access_denied", result.Error);
        Assert.StartsWith("AADSTS65004", result.ErrorDescription, StringComparison.Ordinal);
        Assert.Contains("Consent on behalf of your organization", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_errors_fail_with_their_code()
    {
        var result = AdminConsent.ParseCallback(new Uri(Redirect + "?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+does+not+match.&state=xyz"), "xyz");

        Assert.Equal(AdminConsentStatus.Failed, result.Status);
        Assert.Contains("AADSTS50011", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?admin_consent=True&tenant=84841066-274d-4ec0-a5c1-276be684bdd3&state=other")]
    [InlineData("?admin_consent=True&tenant=84841066-274d-4ec0-a5c1-276be684bdd3")]
    [InlineData("?error=access_denied&state=xyz2")]
    public void A_state_mismatch_is_ignored_whatever_else_it_says(string query)
    {
        var result = AdminConsent.ParseCallback(new Uri(Redirect + query), "xyz");

        Assert.Equal(AdminConsentStatus.StateMismatch, result.Status);
        Assert.Null(result.TenantId);
    }

    [Theory]
    [InlineData("?admin_consent=True&tenant=not-a-guid&state=xyz")]
    [InlineData("?tenant=84841066-274d-4ec0-a5c1-276be684bdd3&state=xyz")]
    [InlineData("?admin_consent=False&state=xyz")]
    public void Incomplete_answers_fail(string query)
    {
        Assert.Equal(AdminConsentStatus.Failed, AdminConsent.ParseCallback(new Uri(Redirect + query), "xyz").Status);
    }

    [Fact]
    public void States_are_unguessable_and_url_safe()
    {
        var a = AdminConsent.CreateState();
        var b = AdminConsent.CreateState();

        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.Equal(a, Uri.EscapeDataString(a));
    }
}
