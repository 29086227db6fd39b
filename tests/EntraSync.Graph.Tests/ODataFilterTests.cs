using EntraSync.Graph.Internal;

namespace EntraSync.Graph.Tests;

public sealed class ODataFilterTests
{
    private static readonly DirectoryUser Ann = new()
    {
        Id = "6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0",
        Properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["accountEnabled"] = DirectoryValue.FromBoolean(true),
            ["department"] = DirectoryValue.FromString("Sales"),
            ["jobTitle"] = DirectoryValue.Null,
            ["mail"] = DirectoryValue.FromString("Ann@Contoso.com"),
            ["userType"] = DirectoryValue.FromString("Member"),
            ["proxyAddresses"] = DirectoryValue.FromList(["SMTP:ann@contoso.com", "smtp:a@contoso.com"]),
            ["assignedLicenses"] = DirectoryValue.FromList(["c7df2760-2c81-4ef7-b578-5b5392b571df"]),
            ["onPremisesExtensionAttributes/extensionAttribute1"] = DirectoryValue.FromString("Staff"),
            ["createdDateTime"] = DirectoryValue.FromString("2021-08-02T10:30:06Z"),
        },
    };

    [Theory]
    [InlineData("accountEnabled eq true", true)]
    [InlineData("accountEnabled eq false", false)]
    [InlineData("department eq 'sales'", true)]
    [InlineData("department ne 'Sales'", false)]
    [InlineData("jobTitle eq null", true)]
    [InlineData("companyName eq null", true)]
    [InlineData("department eq null", false)]
    [InlineData("startsWith(mail,'ann@')", true)]
    [InlineData("endswith(mail,'@CONTOSO.COM')", true)]
    [InlineData("userType eq 'Member' and not(department eq 'HR')", true)]
    [InlineData("userType eq 'Guest' or department in ('HR', 'Sales')", true)]
    [InlineData("proxyAddresses/any(p:startsWith(p,'smtp:a@'))", true)]
    [InlineData("proxyAddresses/any(p:p eq 'SMTP:nobody@contoso.com')", false)]
    [InlineData("assignedLicenses/any(x:x/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)", true)]
    [InlineData("onPremisesExtensionAttributes/extensionAttribute1 eq 'staff'", true)]
    [InlineData("createdDateTime ge 2021-01-01T00:00:00Z", true)]
    [InlineData("createdDateTime lt 2021-01-01T00:00:00Z", false)]
    [InlineData("id eq '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0'", true)]
    [InlineData("department eq 'O''Brien'", false)]
    public void Evaluates_like_Graph(string filter, bool expected)
    {
        Assert.Equal(expected, ODataFilter.Parse(filter).Matches(Ann));
    }

    [Theory]
    [InlineData("accountEnabled eq true", null)]
    [InlineData("startsWith(displayName,'A')", null)]
    [InlineData("department ne 'HR'", "the 'ne' operator")]
    [InlineData("not(department eq 'HR')", "the 'not' operator")]
    [InlineData("endsWith(mail,'@contoso.com')", "the endsWith function")]
    [InlineData("jobTitle eq null", "a comparison with null")]
    [InlineData("onPremisesExtensionAttributes/extensionAttribute1 eq 'x'", "filtering on onPremisesExtensionAttributes")]
    [InlineData("assignedLicenses/$count eq 0", "a $count segment")]
    public void Knows_when_Graph_needs_an_advanced_query(string filter, string? reason)
    {
        Assert.Equal(reason, ODataFilter.GetAdvancedReason(filter));
    }

    [Fact]
    public void Reports_the_properties_it_reads()
    {
        var filter = ODataFilter.Parse("accountEnabled eq true and proxyAddresses/any(p:startsWith(p,'smtp:')) and onPremisesExtensionAttributes/extensionAttribute1 eq 'x'");

        Assert.True(filter.Properties.SetEquals(["accountEnabled", "proxyAddresses", "onPremisesExtensionAttributes"]), string.Join(",", filter.Properties));
    }

    [Fact]
    public void Collection_counts_cannot_be_evaluated_on_delta_results()
    {
        Assert.NotNull(ODataFilter.Parse("assignedLicenses/$count ne 0").ClientSideProblem);
        Assert.Null(ODataFilter.Parse("accountEnabled eq true").ClientSideProblem);
    }

    [Theory]
    [InlineData("department eq 'Sales", "no closing quote")]
    [InlineData("contains(mail,'x')", "is not supported")]
    [InlineData("department eq Sales", null)]
    [InlineData("department eq", "end of filter")]
    [InlineData("(department eq 'x'", "')' expected")]
    public void Filters_it_cannot_read_say_where(string filter, string? fragment)
    {
        var error = Record.Exception(() => ODataFilter.Parse(filter).Matches(Ann));

        if (fragment is null)
        {
            // An unquoted word is a property path: parsed, and it simply does not match.
            Assert.Null(error);
        }
        else
        {
            Assert.IsType<FormatException>(error);
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
    }
}
