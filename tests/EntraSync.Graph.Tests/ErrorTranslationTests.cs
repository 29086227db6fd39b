using Azure.Identity;
using EntraSync.Graph.Internal;

namespace EntraSync.Graph.Tests;

/// <summary>Published Graph error bodies, deserialized with the SDK's ODataError, become admin-actionable messages.</summary>
public sealed class ErrorTranslationTests
{
    private static readonly DirectoryConnectionOptions Connection = new() { TenantId = "contoso.onmicrosoft.com", ClientId = "11111111-2222-3333-4444-555555555555", ClientSecret = "s3cr3t-value" };

    [Fact]
    public void Authorization_RequestDenied_names_the_permission_for_the_call()
    {
        var users = GraphErrors.Translate(Fixtures.Error("error-403-authorization-requestdenied.json", 403), new GraphCall(GraphOperation.ReadUsers), Connection);
        var groups = GraphErrors.Translate(Fixtures.Error("error-403-authorization-requestdenied.json", 403), new GraphCall(GraphOperation.ReadGroupMembers, GroupId: "g1"), Connection);
        var photos = GraphErrors.Translate(Fixtures.Error("error-403-authorization-requestdenied.json", 403), new GraphCall(GraphOperation.ReadPhoto, UserId: "u1"), Connection);

        Assert.Equal(DirectoryErrorKind.PermissionMissing, users.Kind);
        Assert.Equal("User.Read.All", users.MissingPermission);
        Assert.Equal("Authorization_RequestDenied", users.ErrorCode);
        Assert.Contains("Grant admin consent", users.Message, StringComparison.Ordinal);
        Assert.Contains("096361b2-75be-479b-b421-078610030949", users.Message, StringComparison.Ordinal);
        Assert.Equal("GroupMember.Read.All", groups.MissingPermission);
        Assert.Equal("ProfilePhoto.Read.All", photos.MissingPermission);
    }

    [Theory]
    [InlineData("error-400-request-unsupportedquery-endswith-missing-advanced-params.json", "accountEnabled eq true and endsWith(mail,'@contoso.com')", "endsWith(mail,'@contoso.com')")]
    [InlineData("error-400-request-unsupportedquery-invalid-filter-clause.json", "department eq 'Sales' or createdDateTime ge 2021-11-01", "createdDateTime ge 2021-11-01")]
    [InlineData("error-400-badrequest-invalid-filter-clause.json", "startswith(displayName,'A'", "startswith(displayName,'A'")]
    public void An_invalid_filter_reports_Graphs_message_and_the_offending_clause(string fixture, string filter, string clause)
    {
        var error = GraphErrors.Translate(Fixtures.Error(fixture, 400), new GraphCall(GraphOperation.ReadUsers, filter), Connection);

        Assert.Equal(DirectoryErrorKind.InvalidQuery, error.Kind);
        Assert.Contains("Scope:ODataFilter", error.Message, StringComparison.Ordinal);
        Assert.Contains("Offending clause: " + clause + ".", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Throttling_unavailability_and_single_user_properties_have_their_kinds()
    {
        var throttled = GraphErrors.Translate(Fixtures.Error("error-429-toomanyrequests.json", 429), new GraphCall(GraphOperation.ReadUsers), Connection);
        var notImplemented = GraphErrors.Translate(Fixtures.Error("error-501-notimplemented-skills-select.json", 501), new GraphCall(GraphOperation.ReadUsers), Connection);
        var count = GraphErrors.Translate(Fixtures.Error("error-400-request-badrequest-count-not-supported.json", 400), new GraphCall(GraphOperation.ReadUsers), Connection);

        Assert.Equal(DirectoryErrorKind.Throttled, throttled.Kind);
        Assert.True(throttled.IsTransient);
        Assert.Equal(DirectoryErrorKind.InvalidQuery, notImplemented.Kind);
        Assert.Contains("skills", notImplemented.Message, StringComparison.Ordinal);
        Assert.Equal("Request_BadRequest", count.ErrorCode);
    }

    [Fact]
    public void Expired_tokens_and_resets_are_recognised_whatever_the_casing()
    {
        Assert.True(GraphErrors.IsDeltaReset(Fixtures.Error("error-syncstatenotfound-outlook-delta.json", 400), out var expired));
        Assert.Contains("7 days", expired, StringComparison.Ordinal);
        Assert.True(GraphErrors.IsDeltaReset(Fixtures.Error("error-syncstatenotfound-outlook-delta.json", 410), out var gone));
        Assert.Contains("410", gone, StringComparison.Ordinal);
        Assert.False(GraphErrors.IsDeltaReset(Fixtures.Error("error-403-authorization-requestdenied.json", 403), out _));
    }

    [Theory]
    [InlineData("AADSTS7000215: Invalid client secret provided.", DirectoryErrorKind.InvalidCredentials, "Connection:ClientSecret")]
    [InlineData("AADSTS7000222: The provided client secret keys for app 'x' are expired.", DirectoryErrorKind.ExpiredCredentials, "has expired")]
    [InlineData("AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.", DirectoryErrorKind.ApplicationNotFound, "Connection:ClientId")]
    [InlineData("AADSTS90002: Tenant 'x' not found.", DirectoryErrorKind.TenantNotFound, "Connection:TenantId")]
    [InlineData("AADSTS700027: Client assertion failed signature validation.", DirectoryErrorKind.InvalidCredentials, "certificate")]
    public void Token_failures_each_get_their_own_message_and_never_the_secret(string aadMessage, DirectoryErrorKind kind, string hint)
    {
        var error = GraphErrors.FromToken(new AuthenticationFailedException("ClientSecretCredential authentication failed: " + aadMessage), Connection);

        Assert.Equal(kind, error.Kind);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Connection.ClientSecret!, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("AADSTS", error.ErrorCode, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a eq 'x' and b eq 'y'", new[] { "a eq 'x'", "b eq 'y'" })]
    [InlineData("(a eq 'x or y') or startswith(b,'and ')", new[] { "(a eq 'x or y')", "startswith(b,'and ')" })]
    [InlineData("a eq 'x'", new[] { "a eq 'x'" })]
    public void Filters_split_into_top_level_clauses(string filter, string[] clauses)
    {
        Assert.Equal(clauses, ODataFilter.SplitClauses(filter));
    }
}
