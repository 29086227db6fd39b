using EntraSync.Email;

namespace EntraSync.Graph.Tests;

public sealed class EmailResolverTests
{
    private static DirectoryUser User(string? mail = null, string[]? proxy = null, string[]? other = null, string? upn = null)
    {
        var properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["mail"] = DirectoryValue.FromString(mail),
            ["proxyAddresses"] = DirectoryValue.FromList(proxy ?? []),
            ["otherMails"] = DirectoryValue.FromList(other ?? []),
            ["userPrincipalName"] = DirectoryValue.FromString(upn),
        };
        return new DirectoryUser { Id = "u", Properties = properties };
    }

    [Fact]
    public void Mail_comes_first_trimmed()
    {
        Assert.Equal("ann@contoso.com", EmailResolver.Resolve(User(" ann@contoso.com ", ["SMTP:other@contoso.com"]), new()));
    }

    [Fact]
    public void A_stray_quote_in_mail_is_trimmed_as_in_the_published_guest_sample()
    {
        Assert.Equal("contoso1@gmail.com", EmailResolver.Resolve(User("'contoso1@gmail.com"), new()));
    }

    [Fact]
    public void The_upper_case_SMTP_entry_is_the_primary_wherever_it_is()
    {
        var user = User(null, ["SPO:SPO_1@SPO_2", "smtp:alias@contoso.com", "X400:c=US;a= ;p=Contoso;o=Exchange;s=Ann", "SMTP:ann@contoso.com"]);

        Assert.Equal("ann@contoso.com", EmailResolver.Resolve(user, new()));
    }

    [Fact]
    public void Without_a_primary_the_first_secondary_smtp_is_used()
    {
        Assert.Equal("first@contoso.com", EmailResolver.Resolve(User(null, ["SPO:x", "smtp:first@contoso.com", "smtp:second@contoso.com"]), new()));
    }

    [Fact]
    public void The_docs_spelling_with_a_space_after_the_prefix_is_trimmed()
    {
        Assert.Equal("bob@contoso.com", EmailResolver.Resolve(User(null, ["SMTP: bob@contoso.com"]), new()));
    }

    [Fact]
    public void Non_SMTP_types_alone_give_no_email_from_proxy_addresses()
    {
        Assert.Null(EmailResolver.Resolve(User(null, ["SPO:SPO_1@SPO_2", "X400:c=US", "sip:ann@contoso.com"]), new()));
    }

    [Fact]
    public void Other_mails_come_after_proxy_addresses()
    {
        Assert.Equal("ann@gmail.com", EmailResolver.Resolve(User(null, [], ["  ", "ann@gmail.com", "b@gmail.com"]), new()));
        Assert.Equal("p@contoso.com", EmailResolver.Resolve(User(null, ["smtp:p@contoso.com"], ["ann@gmail.com"]), new()));
    }

    [Fact]
    public void The_user_principal_name_is_used_only_when_enabled()
    {
        var user = User(upn: "ann@contoso.com");

        Assert.Null(EmailResolver.Resolve(user, new()));
        Assert.Equal("ann@contoso.com", EmailResolver.Resolve(user, new() { UseUserPrincipalName = true }));
    }

    [Fact]
    public void A_guest_EXT_user_principal_name_needs_its_own_switch()
    {
        var guest = User(upn: "contoso1_gmail.com#EXT#@microsoft.onmicrosoft.com");

        Assert.Null(EmailResolver.Resolve(guest, new() { UseUserPrincipalName = true }));
        Assert.Equal("contoso1_gmail.com#EXT#@microsoft.onmicrosoft.com", EmailResolver.Resolve(guest, new() { UseUserPrincipalName = true, UseGuestUserPrincipalName = true }));
    }

    [Fact]
    public void Each_source_can_be_switched_off()
    {
        var user = User("m@contoso.com", ["SMTP:p@contoso.com"], ["o@gmail.com"], "u@contoso.com");

        Assert.Equal("p@contoso.com", EmailResolver.Resolve(user, new() { UseMail = false }));
        Assert.Equal("o@gmail.com", EmailResolver.Resolve(user, new() { UseMail = false, UseProxyAddresses = false }));
        Assert.Equal("u@contoso.com", EmailResolver.Resolve(user, new() { UseMail = false, UseProxyAddresses = false, UseOtherMails = false, UseUserPrincipalName = true }));
        Assert.Null(EmailResolver.Resolve(user, new() { UseMail = false, UseProxyAddresses = false, UseOtherMails = false }));
    }

    [Fact]
    public void Required_properties_follow_the_switches()
    {
        Assert.Equal(["mail", "proxyAddresses", "otherMails"], EmailResolver.GetRequiredProperties(new()));
        Assert.Equal(["userPrincipalName"], EmailResolver.GetRequiredProperties(new() { UseMail = false, UseProxyAddresses = false, UseOtherMails = false, UseUserPrincipalName = true }));
    }

    [Fact]
    public void Absent_and_null_properties_give_no_email()
    {
        Assert.Null(EmailResolver.Resolve(new DirectoryUser { Id = "u" }, new() { UseUserPrincipalName = true }));
    }
}
