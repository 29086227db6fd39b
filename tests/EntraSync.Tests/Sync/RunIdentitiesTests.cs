using EntraSync.Sync.Planning;

namespace EntraSync.Tests.Sync;

/// <summary>The run's compact tables must answer exactly as the string tables they replaced (ids and emails ignoring case).</summary>
public sealed class RunIdentitiesTests
{
    [Fact]
    public void Ids_are_the_same_id_ignoring_case_whether_or_not_they_are_guids()
    {
        var seen = new DirectoryIdSet();

        Assert.True(seen.Add("6e7b768e-07e2-4810-8459-485f84f8f204"));
        Assert.False(seen.Add("6E7B768E-07E2-4810-8459-485F84F8F204"));
        Assert.True(seen.Contains("6E7b768e-07e2-4810-8459-485f84f8f204"));
        Assert.True(seen.Add("{6e7b768e-07e2-4810-8459-485f84f8f204}")); // another spelling is another id, as before
        Assert.True(seen.Add(" 6e7b768e-07e2-4810-8459-485f84f8f204")); // so is one with white space
        Assert.True(seen.Add("user-42"));
        Assert.True(seen.Contains("USER-42"));
        Assert.False(seen.Contains("user-43"));

        Assert.True(seen.Remove("6e7b768e-07e2-4810-8459-485f84f8f204"));
        Assert.False(seen.Contains("6E7B768E-07E2-4810-8459-485F84F8F204"));
        Assert.True(seen.Remove("User-42"));
        Assert.False(seen.Contains("user-42"));
    }

    [Theory]
    [InlineData("Ada.Lovelace@Contoso.com", "ada.lovelace@contoso.com", true)]
    [InlineData("ZOË@contoso.com", "zoë@contoso.com", true)]
    [InlineData("ada@contoso.com", "ada@contoso.co", false)]
    [InlineData("ada@contoso.com", "ada@contoso.com ", false)]
    public void Email_keys_are_equal_exactly_when_the_emails_are_equal_ignoring_case(string a, string b, bool equal)
    {
        Assert.Equal(string.Equals(a, b, StringComparison.OrdinalIgnoreCase), equal);
        Assert.Equal(equal, EmailClaims.KeyOf(a) == EmailClaims.KeyOf(b));
    }

    [Fact]
    public void A_long_email_gets_a_key_too()
    {
        var local = new string('a', 600);
        Assert.Equal(EmailClaims.KeyOf(local + "@contoso.com"), EmailClaims.KeyOf(local.ToUpperInvariant() + "@CONTOSO.COM"));
        Assert.NotEqual(EmailClaims.KeyOf(local + "@contoso.com"), EmailClaims.KeyOf(local + "b@contoso.com"));
    }

    [Theory]
    [InlineData("6e7b768e-07e2-4810-8459-485f84f8f204")]
    [InlineData("6E7B768E-07E2-4810-8459-485F84F8F204")]
    [InlineData("not-a-guid")]
    public void The_owner_of_an_email_comes_back_exactly_as_the_directory_sent_it(string owner)
    {
        var claims = new EmailClaims();
        var email = EmailClaims.KeyOf("ada@contoso.com");
        Assert.False(claims.TryGetOwner(email, out _));
        Assert.False(claims.IsOwnedBy(email, owner));

        claims.Claim(email, owner);

        Assert.True(claims.TryGetOwner(EmailClaims.KeyOf("ADA@contoso.com"), out var found));
        Assert.Equal(owner, found);
        Assert.True(claims.IsOwnedBy(email, owner.ToUpperInvariant()));
        Assert.True(claims.IsOwnedBy(email, owner.ToLowerInvariant()));
        Assert.False(claims.IsOwnedBy(email, "1d2b3c4d-0000-4000-8000-000000000000"));
    }

    [Fact]
    public void A_later_claim_replaces_the_owner_whatever_form_either_id_has()
    {
        var claims = new EmailClaims();
        var email = EmailClaims.KeyOf("ada@contoso.com");

        claims.Claim(email, "6e7b768e-07e2-4810-8459-485f84f8f204");
        claims.Claim(email, "legacy-7");
        Assert.True(claims.TryGetOwner(email, out var owner));
        Assert.Equal("legacy-7", owner);
        Assert.False(claims.IsOwnedBy(email, "6e7b768e-07e2-4810-8459-485f84f8f204"));

        claims.Claim(email, "6e7b768e-07e2-4810-8459-485f84f8f204");
        Assert.True(claims.IsOwnedBy(email, "6e7b768e-07e2-4810-8459-485f84f8f204"));
        Assert.False(claims.IsOwnedBy(email, "legacy-7"));
    }
}
