using EntraSync.EntityFrameworkCore;
using EntraSync.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.BadInput;

/// <summary>
/// Malformed and hostile directory records through the full stack: each is skipped with a reason in the report or
/// stored as data; the run completes and the rest of the page is applied. Records the emulator cannot produce (a lone
/// surrogate, wrong types, a page that is not JSON) come from a fake Graph that serves raw bodies. A record without an
/// id makes its page not a page (see Hostile/HostileResponseTests).
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const string Extension = "extension_0a1b2c3d4e5f60718293a4b5c6d7e8f9_profile";

    [Fact]
    public async Task A_hostile_page_is_applied_record_by_record_and_every_rejected_record_has_a_reason()
    {
        await using var stack = await FullStack.StartAsync();
        await using var raw = await RawGraph.StartAsync();
        stack.AddProfile(configure: p =>
        {
            p.Connection.GraphBaseUrl = raw.GraphBaseUrl;
            p.Fields.Fields.Add(new FieldMapping { Name = "Profile", Source = Extension });
        });
        string Names(string given, string surname, string mail) => Corpus.Names($"\"{given}\"", $"\"{surname}\"", $"\"{mail}\"");
        var hostile = new List<string>
        {
            Corpus.Record(People.Id(910), Names("Twice", "First", "twice@contoso.example"), "\"jobTitle\":\"First\""),
            Corpus.Record(People.Id(911), Names("Lone", "\\ud800Surrogate", "lone@contoso.example")),
            Corpus.Record(People.Id(912), Names("Nulls", "Lists", "nulls@contoso.example"), "\"businessPhones\":null,\"proxyAddresses\":null,\"otherMails\":null"),
            Corpus.Record(People.Id(913), Names("Typed", "Wrong", "typed@contoso.example"), "\"jobTitle\":42,\"accountEnabled\":\"yes\""),
            Corpus.Record(People.Id(914), Names("Listed", "Text", "listed@contoso.example"), "\"businessPhones\":\"+45 1234\""),
            Corpus.Record(People.Id(915), Names("Unknown", "Properties", "unknown@contoso.example"), "\"favouriteColour\":\"green\",\"@odata.unknown\":{\"a\":[1,2]},\"manager@delta\":[{\"id\":\"x\"}]"),
            Corpus.Record(People.Id(916), Names("Deep", "Selected", "deep.selected@contoso.example"), $"\"{Extension}\":" + Corpus.Nested(40)),
            Corpus.Record(People.Id(917), Names("Deep", "Unselected", "deep.unselected@contoso.example"), "\"extension_ffff_other\":" + Corpus.Nested(300)),
            Corpus.Record(People.Id(910), Names("Twice", "Second", "twice@contoso.example"), "\"jobTitle\":\"Second\""),
        };
        var page1 = hostile.Concat(Enumerable.Range(0, 20).Select(i => Corpus.Good(i))).ToList();
        raw.Pages = [Corpus.Page(page1, more: true), Corpus.Page(Enumerable.Range(20, 20).Select(i => Corpus.Good(i)), more: false)];

        var report = await stack.RunAsync(SyncMode.Full);

        Assert.True(report.Outcome == SyncOutcome.Succeeded, string.Join(" ", report.Errors));
        Assert.True(report.IsReadComplete);
        var employees = await stack.EmployeesAsync();
        var byId = employees.ToDictionary(e => e.DirectoryId!);
        Assert.All(Enumerable.Range(0, 40), i => Assert.True(byId.ContainsKey(People.Id(i)), $"good user {i} was applied"));

        var skipped = report.Users.Where(u => u.Action == UserAction.Skipped).ToList();
        Assert.All(skipped, u => Assert.False(string.IsNullOrWhiteSpace(u.Reason)));
        Assert.Contains(skipped, u => u.DirectoryId == People.Id(911) && u.Reason!.Contains("not valid Unicode", StringComparison.Ordinal));
        Assert.Contains(skipped, u => u.DirectoryId == People.Id(913) && u.Reason!.Contains("'jobTitle' is a number", StringComparison.Ordinal));
        Assert.Contains(skipped, u => u.DirectoryId == People.Id(914) && u.Reason!.Contains("'businessPhones' is text", StringComparison.Ordinal));
        Assert.Contains(skipped, u => u.DirectoryId == People.Id(916) && u.Reason!.Contains("nested more than 16 levels", StringComparison.Ordinal));
        Assert.Equal(4, skipped.Count);
        Assert.All(skipped, u => Assert.Equal(SkipReason.InvalidRecord, u.SkipReason));
        foreach (var id in new[] { 911, 913, 914, 916 })
        {
            Assert.False(byId.ContainsKey(People.Id(id)), $"rejected record {id} was not stored");
        }

        // Duplicate ids on one page: the last occurrence is the newest state, written once.
        Assert.Equal("Second", byId[People.Id(910)].GetField(FieldNames.JobTitle));
        Assert.Single(employees, e => e.DirectoryId == People.Id(910));
        Assert.Null(byId[People.Id(912)].GetField(FieldNames.Phone));
        Assert.True(byId.ContainsKey(People.Id(915)));
        Assert.True(byId.ContainsKey(People.Id(917)));
        Assert.Equal(40 + 4, employees.Count);
        Assert.Equal(employees.Count, employees.Select(e => e.DirectoryId).Distinct().Count());

        var again = await stack.RunAsync(SyncMode.Full);
        Assert.Equal(SyncOutcome.Succeeded, again.Outcome);
        Assert.Equal(0, again.Counts.Changes);
        Assert.Equal(44, (await stack.EmployeesAsync()).Count(e => e.DeactivatedAt is null));
        Figures.Report(output, "Bad input: hostile records (raw Graph page)", faults: hostile.Count, runs: 2, usersChecked: 40 + hostile.Count, lost: 0, wronglyRemoved: 0,
            extra: $"skipped with a reason {skipped.Count}, stored {employees.Count}, duplicate id written once");
    }

    [Fact]
    public async Task A_page_that_is_not_JSON_leaves_the_read_incomplete_and_removes_nobody()
    {
        await using var stack = await FullStack.StartAsync();
        await using var raw = await RawGraph.StartAsync();
        stack.AddProfile(configure: p => p.Connection.GraphBaseUrl = raw.GraphBaseUrl);
        string[] good = [Corpus.Page(Enumerable.Range(0, 20).Select(i => Corpus.Good(i)), more: true), Corpus.Page(Enumerable.Range(20, 20).Select(i => Corpus.Good(i)), more: false)];
        raw.Pages = good;
        Assert.Equal(40, (await stack.RunAsync(SyncMode.Full)).Counts.Created);

        raw.Pages = [Corpus.Page(Enumerable.Range(0, 20).Select(i => Corpus.Good(i, "Partner")), more: true), "<html><body><h1>502 Bad Gateway</h1></body></html>"];
        var broken = await stack.RunAsync(SyncMode.Full);

        Assert.Equal(SyncOutcome.Failed, broken.Outcome);
        Assert.False(broken.IsReadComplete);
        Assert.Equal("InvalidResponse", broken.FailureKind);
        Assert.Contains(broken.Errors, e => e.Contains("not valid JSON", StringComparison.Ordinal) && e.Contains("Nobody was removed", StringComparison.Ordinal));
        Assert.Equal(0, broken.Counts.Deactivated + broken.Counts.Deleted + broken.Counts.Staged);
        var employees = await stack.EmployeesAsync();
        Assert.Equal(40, employees.Count(e => e.DeactivatedAt is null));
        Assert.Equal(20, employees.Count(e => e.GetField(FieldNames.JobTitle) == "Partner"));
        output.WriteLine(string.Join(Environment.NewLine, broken.Errors));

        raw.Pages = [good[0].Replace("Consultant", "Partner", StringComparison.Ordinal), good[1].Replace("Consultant", "Partner", StringComparison.Ordinal)];
        var clean = await stack.RunAsync(SyncMode.Full);
        Assert.Equal(SyncOutcome.Succeeded, clean.Outcome);
        Assert.Equal(20, clean.Counts.Updated);
        Assert.Equal(40, (await stack.EmployeesAsync()).Count(e => e.DeactivatedAt is null && e.GetField(FieldNames.JobTitle) == "Partner"));
        Figures.Report(output, "Bad input: a page that is not JSON", faults: 1, runs: 3, usersChecked: 40, lost: 0, wronglyRemoved: 0,
            extra: "read incomplete, page 1 applied, nobody removed");
    }

    [Fact]
    public async Task Odd_but_valid_text_from_the_emulator_is_stored_as_data_or_sanitised()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 30 });
        var tenant = stack.Tenant;
        var longText = string.Concat(Enumerable.Repeat("0123456789", 1_000));
        EmulatedUser Make(int i, Action<EmulatedUser> change)
        {
            var user = People.Person(i);
            change(user);
            return user;
        }

        tenant.AddUsers(
        [
            Make(100, u => u.Mail = "dup@contoso.example"),
            Make(101, u => u.Mail = "DUP@Contoso.Example"),
            Make(102, u => u.Mail = "  'Odd.Case@Contoso.Example'  "),
            Make(103, u => u.Mail = "\"quoted@contoso.example\""),
            Make(104, u =>
            {
                u.Mail = null;
                u.OtherMails.Add("   ");
                u.OtherMails.Add(" fallback@contoso.example ");
            }),
            Make(105, u =>
            {
                u.JobTitle = longText;
                u.DisplayName = longText;
            }),
            Make(106, u =>
            {
                u.GivenName = "Ctl\u0001\u0007\u001F";
                u.JobTitle = "line1\nline2\ttab\u0000nul\u007F";
            }),
            Make(107, u =>
            {
                u.GivenName = "مرحبا";
                u.Surname = "שלום";
                u.DisplayName = "\u202Eexe.txt";
                u.Department = "\u200F\u200Eقسم";
            }),
        ]);
        var local = await stack.AddLocalEmployeeAsync("odd.case@contoso.example");
        stack.AddProfile();

        var report = await stack.RunAsync(SyncMode.Full);

        Assert.True(report.Outcome == SyncOutcome.Succeeded, string.Join(" ", report.Errors));
        var employees = (await stack.EmployeesAsync()).Where(e => e.DirectoryId is not null).ToDictionary(e => e.DirectoryId!);
        var duplicate = Assert.Single(report.Users, u => u.SkipReason == SkipReason.DuplicateEmail);
        Assert.Contains("two directory users have the email", duplicate.Reason, StringComparison.Ordinal);
        Assert.Single(employees.Values, e => string.Equals(e.Email, "dup@contoso.example", StringComparison.OrdinalIgnoreCase));

        // Whitespace and stray quotes are trimmed; case is kept; the host's employee with the same address is linked, not doubled.
        Assert.Equal("Odd.Case@Contoso.Example", employees[People.Id(102)].Email);
        Assert.Equal(local.Id, employees[People.Id(102)].Id);
        Assert.Contains(report.Users, u => u.DirectoryId == People.Id(102) && u.Action == UserAction.Linked && u.Reason!.Contains("same email", StringComparison.Ordinal));
        Assert.Equal("quoted@contoso.example", employees[People.Id(103)].Email);
        Assert.Equal("fallback@contoso.example", employees[People.Id(104)].Email);

        // Long, control and right-to-left text is data: stored verbatim.
        Assert.Equal(longText, employees[People.Id(105)].GetField(FieldNames.JobTitle));
        Assert.Equal(longText, employees[People.Id(105)].GetField(FieldNames.DisplayName));
        Assert.Equal("Ctl\u0001\u0007\u001F", employees[People.Id(106)].GetField(FieldNames.FirstName));
        Assert.Equal("line1\nline2\ttab\u0000nul\u007F", employees[People.Id(106)].GetField(FieldNames.JobTitle));
        Assert.Equal("مرحبا", employees[People.Id(107)].GetField(FieldNames.FirstName));
        Assert.Equal("שלום", employees[People.Id(107)].GetField(FieldNames.LastName));
        Assert.Equal("\u202Eexe.txt", employees[People.Id(107)].GetField(FieldNames.DisplayName));
        Assert.Equal("\u200F\u200Eقسم", employees[People.Id(107)].GetField(FieldNames.Department));
        Assert.Equal(30 + 7, employees.Count);

        var again = await stack.RunAsync(SyncMode.Full);
        Assert.Equal(SyncOutcome.Succeeded, again.Outcome);
        Assert.Equal(0, again.Counts.Changes);
        Figures.Report(output, "Bad input: odd but valid text (emulator)", faults: 8, runs: 2, usersChecked: 38, lost: 0, wronglyRemoved: 0,
            extra: "duplicate email skipped with a reason, emails trimmed of spaces and quotes, long/control/RTL text stored verbatim");
    }
}
