using EntraSync.EntityFrameworkCore;
using EntraSync.Graph;
using EntraSync.Reliability.Tests.BadInput;
using EntraSync.Reliability.Tests.Support;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Hostile;

/// <summary>
/// "Nobody removed by mistake" against a Graph, proxy or gateway that misbehaves: the host (real Graph SDK client,
/// real SQLite store) reads 40 users on two pages, then the second page (or a link, a redirect, a header) turns
/// hostile. Each run must end with the read incomplete, a message that names the request and what was wrong, nobody
/// removed and nothing staged, no request or token sent off Graph, and no hang; the next clean run then syncs as usual.
/// The removal guards are opened wide (100 %) so that only the page rules stand between the response and a removal.
/// </summary>
public sealed class HostileResponseTests(ITestOutputHelper output)
{
    private const int People = 40;

    public static TheoryData<string, string, string> Bodies() => new()
    {
        { "an empty object", "{}", "no \"value\" list" },
        { "value null", """{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":null}""", "\"value\" is null" },
        { "value not a list", """{"value":{"id":"x"}}""", "\"value\" is an object" },
        { "an error in a 200", """{"value":[],"error":{"code":"generalException","message":"General failure."}}""", "an error, not a page (generalException: General failure.)" },
        { "only an error", """{"error":{"code":"UnknownError","message":"Gateway says no."}}""", "an error, not a page" },
        { "a list of groups", """{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups","value":[{"id":"g1","displayName":"All staff"}]}""", "a list of groups, not of users" },
        { "a record without an id", Corpus.Page([Corpus.Record("", "\"displayName\":\"Nobody\"")], more: false), "has no id" },
        { "a number for a record", Corpus.Page(["42"], more: false), "holds a number where a user record was expected" },
        { "an empty body", "", "the response body is empty" },
        { "a body cut short", Corpus.Page(Enumerable.Range(20, 20).Select(i => Corpus.Good(i)), more: false)[..700], "cut off" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_second_page_that_is_not_a_page_ends_the_read_incomplete_and_removes_nobody(string shape, string body, string reason)
    {
        await using var scenario = await Scenario.StartAsync();
        scenario.Raw.Pages = [scenario.Good[0], body];

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, reason, output, shape);
        Assert.Equal(3, scenario.HostileRequests.Count(r => r.Contains("skiptoken=1", StringComparison.Ordinal)));
        await scenario.AssertNextCleanRunSyncsAsync();
    }

    [Fact]
    public async Task A_page_of_json_sent_as_html_by_a_proxy_is_not_a_page()
    {
        await using var scenario = await Scenario.StartAsync();
        scenario.Raw.Intercept = async (context, index) =>
        {
            if (index != 1)
            {
                return false;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Corpus.Page([], more: false));
            return true;
        };

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "the response is text/html, not JSON", output, "text/html");
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_not_followed_and_the_token_never_leaves_graph()
    {
        await using var scenario = await Scenario.StartAsync();
        await using var elsewhere = await RawGraph.StartAsync();
        elsewhere.Pages = [Corpus.Page([], more: false)];
        scenario.Raw.Pages = [scenario.Good[0].Replace("NEXT", elsewhere.PageLink(1), StringComparison.Ordinal), scenario.Good[1]];

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, $"points to {new Uri(elsewhere.GraphBaseUrl).GetLeftPart(UriPartial.Authority)}, which is not the configured Microsoft Graph", output, "nextLink off host");
        Assert.Empty(elsewhere.Requests);
        Assert.Empty(elsewhere.Authorizations);
        Assert.NotEmpty(scenario.Raw.Authorizations);
    }

    [Fact]
    public async Task A_next_link_that_changes_the_scheme_is_not_followed()
    {
        await using var scenario = await Scenario.StartAsync();
        var https = scenario.Raw.PageLink(1).Replace("http://", "https://", StringComparison.Ordinal);
        scenario.Raw.Pages = [scenario.Good[0].Replace("NEXT", https, StringComparison.Ordinal), scenario.Good[1]];

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "which is not the configured Microsoft Graph", output, "nextLink with another scheme");
        Assert.DoesNotContain(scenario.HostileRequests, r => r.Contains("skiptoken=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_refused_before_anything_is_sent_there()
    {
        await using var scenario = await Scenario.StartAsync();
        await using var elsewhere = await RawGraph.StartAsync();
        elsewhere.Pages = [Corpus.Page([], more: false)];
        scenario.Raw.Intercept = (context, index) =>
        {
            if (index != 1)
            {
                return Task.FromResult(false);
            }

            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = elsewhere.GraphBaseUrl + "/users";
            return Task.FromResult(true);
        };

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "a request (a link or a redirect) points to", output, "redirect off host");
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task A_next_link_back_to_a_page_already_read_ends_the_read_instead_of_looping()
    {
        await using var scenario = await Scenario.StartAsync();
        scenario.Raw.Pages = [scenario.Good[0], Corpus.Page(Enumerable.Range(20, 20).Select(i => Corpus.Good(i)), more: true).Replace("NEXT", scenario.Raw.PageLink(1), StringComparison.Ordinal)];

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "leads back to a page already read in this read (a loop)", output, "nextLink loop");
        Assert.Equal(1, scenario.HostileRequests.Count(r => r.Contains("skiptoken=1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_read_that_never_ends_stops_at_the_page_limit()
    {
        await using var scenario = await Scenario.StartAsync(graph => graph.MaxPagesPerRead = 25);
        scenario.Raw.Intercept = async (context, index) =>
        {
            if (index == 0)
            {
                return false;
            }

            // Every page links to a fresh one: no loop, just no end.
            await context.Response.WriteAsync(Corpus.Page([Corpus.Good(20 + (index % 20))], more: true).Replace("NEXT", scenario.Raw.PageLink(index + 1), StringComparison.Ordinal));
            return true;
        };

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "went past 25 pages (GraphSourceOptions.MaxPagesPerRead)", output, "endless paging");
        // 25 requests in all, none past the limit, not even one sent ahead of time: the $deltatoken=latest page a full
        // read takes first, then 24 pages of /users.
        var requests = scenario.HostileRequests.ToList();
        Assert.Equal(25, requests.Count(r => r.StartsWith("GET /v1.0/users", StringComparison.Ordinal)));
        Assert.Equal(24, requests.Count(r => r.StartsWith("GET /v1.0/users?", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_retry_after_of_hours_ends_the_read_as_throttled_instead_of_waiting()
    {
        await using var scenario = await Scenario.StartAsync();
        scenario.Raw.Intercept = async (context, index) =>
        {
            if (index != 1)
            {
                return false;
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "7200";
            await context.Response.WriteAsync("""{"error":{"code":"TooManyRequests","message":"Come back in two hours."}}""");
            return true;
        };

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "throttling", output, "Retry-After: 7200", kind: "Throttled");
    }

    [Fact]
    public async Task A_page_larger_than_the_limit_ends_the_read_naming_the_option()
    {
        await using var scenario = await Scenario.StartAsync(graph => graph.MaxPageBytes = 64 * 1024);
        var padding = "\"aboutMe\":\"" + new string('x', 70 * 1024) + "\"";
        scenario.Raw.Pages = [scenario.Good[0], Corpus.Page([Corpus.Record(Support.People.Id(20), padding)], more: false)];

        var report = await scenario.Stack.RunAsync(SyncMode.Full);

        await scenario.AssertNobodyRemovedAsync(report, "larger than the 64 KiB allowed (GraphSourceOptions.MaxPageBytes)", output, "oversized page");
        Assert.Contains(report.Errors, e => e.Contains("raise GraphSourceOptions.MaxPageBytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delta_round_whose_removals_name_everyone_is_held_by_the_guard()
    {
        await using var scenario = await Scenario.StartAsync(guards: true);
        var removed = Enumerable.Range(0, People).Select(i => "{\"id\":\"" + Support.People.Id(i) + "\",\"@removed\":{\"reason\":\"deleted\"}}");
        scenario.Raw.DeltaPages = ["{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":[" + string.Join(",", removed) + "],\"@odata.deltaLink\":\"" + scenario.Raw.GraphBaseUrl + "/users/delta?$deltatoken=raw-2\"}"];

        var report = await scenario.Stack.RunAsync(SyncMode.Incremental);

        output.WriteLine($"{report.Outcome}: staged {report.Counts.Staged}; {string.Join(" ", report.Warnings)} {string.Join(" ", report.Errors)}");
        Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted);
        Assert.Equal(People, report.Counts.Staged);
        Assert.Equal(People, (await scenario.Stack.EmployeesAsync()).Count(e => e.DeactivatedAt is null));
        Figures.Report(output, "Hostile: delta @removed lists everyone", faults: 1, runs: 2, usersChecked: People, lost: 0, wronglyRemoved: 0);
    }

    /// <summary>A host on a raw fake Graph, synced once in full from two good pages of 20 users each.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly int _baseline;

        private Scenario(FullStack stack, RawGraph raw, string[] good)
        {
            Stack = stack;
            Raw = raw;
            Good = good;
            _baseline = raw.Requests.Count;
        }

        /// <summary>The requests since the first (good) run.</summary>
        public IEnumerable<string> HostileRequests => Raw.Requests.Skip(_baseline);

        public FullStack Stack { get; }

        public RawGraph Raw { get; }

        /// <summary>The two good pages (their <c>NEXT</c> placeholder not yet replaced).</summary>
        public string[] Good { get; }

        public static async Task<Scenario> StartAsync(Action<GraphSourceOptions>? graph = null, bool guards = false)
        {
            var stack = await FullStack.StartAsync(new StackOptions { Graph = graph });
            var raw = await RawGraph.StartAsync();
            stack.AddProfile(configure: p =>
            {
                p.Connection.GraphBaseUrl = raw.GraphBaseUrl;
                if (!guards)
                {
                    p.Removal.MaxRemovalPercentPerRun = 100;
                    p.Removal.MaxRemovalsPerRun = 100_000;
                }
            });
            string[] good = [Corpus.Page(Enumerable.Range(0, 20).Select(i => Corpus.Good(i)), more: true), Corpus.Page(Enumerable.Range(20, 20).Select(i => Corpus.Good(i)), more: false)];
            raw.Pages = good;
            var first = await stack.RunAsync(SyncMode.Full);
            Assert.True(first.Outcome == SyncOutcome.Succeeded, string.Join(" ", first.Errors));
            Assert.Equal(People, first.Counts.Created);
            return new Scenario(stack, raw, good);
        }

        public async Task AssertNobodyRemovedAsync(SyncReport report, string reason, ITestOutputHelper output, string shape, string kind = "InvalidResponse")
        {
            output.WriteLine($"{shape}: {string.Join(" | ", report.Errors)}");
            Assert.Equal(SyncOutcome.Failed, report.Outcome);
            Assert.False(report.IsReadComplete);
            Assert.Equal(kind, report.FailureKind);
            Assert.Contains(report.Errors, e => e.Contains(reason, StringComparison.Ordinal));
            Assert.Contains(report.Errors, e => e.Contains("Nobody was removed", StringComparison.OrdinalIgnoreCase) || e.Contains("nobody was removed", StringComparison.Ordinal));
            if (kind == "InvalidResponse")
            {
                Assert.Contains(report.Errors, e => e.Contains("GET /v1.0/users", StringComparison.Ordinal));
            }

            Assert.Equal(0, report.Counts.Deactivated + report.Counts.Deleted + report.Counts.Staged);
            var employees = await Stack.EmployeesAsync();
            Assert.Equal(People, employees.Count(e => e.DeactivatedAt is null));
            Figures.Report(output, "Hostile: " + shape, faults: 1, runs: 2, usersChecked: People, lost: 0, wronglyRemoved: People - employees.Count(e => e.DeactivatedAt is null));
        }

        public async Task AssertNextCleanRunSyncsAsync()
        {
            Raw.Intercept = null;
            Raw.Pages = Good;
            var clean = await Stack.RunAsync(SyncMode.Full);
            Assert.True(clean.Outcome == SyncOutcome.Succeeded, string.Join(" ", clean.Errors));
            Assert.Equal(People, (await Stack.EmployeesAsync()).Count(e => e.DeactivatedAt is null));
        }

        public async ValueTask DisposeAsync()
        {
            await Raw.DisposeAsync();
            await Stack.DisposeAsync();
        }
    }
}
