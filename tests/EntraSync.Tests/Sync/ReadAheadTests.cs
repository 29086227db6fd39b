using System.Runtime.CompilerServices;
using EntraSync.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Tests.Sync;

/// <summary>The engine fetches the next directory page while it applies the current one.</summary>
public sealed class ReadAheadTests
{
    [Fact]
    public async Task The_next_page_is_requested_while_the_current_page_is_applied()
    {
        var source = new PagedSource(pages: 3);
        var secondRequested = false;
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(source));
        h.Store.BeforeApply = changes =>
        {
            if (changes[0].DirectoryId == PagedSource.Id(0, 0))
            {
                // Without read-ahead page 2 is requested only after this write returns, so this wait would never end.
                secondRequested = source.Requested[1].Task.Wait(TimeSpan.FromSeconds(30));
            }
        };

        var report = await h.RunAsync();

        Assert.True(secondRequested);
        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(3, h.Store.BatchesApplied);
        Assert.Equal(PagedSource.PageSize * 3, h.Employees.Count);
    }

    [Fact]
    public async Task A_read_that_fails_after_a_page_applies_that_page_and_removes_nobody()
    {
        var source = new PagedSource(pages: 2, failAfter: 1);
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(source));

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal(nameof(DirectoryErrorKind.Throttled), report.FailureKind);
        Assert.Equal(1, h.Store.BatchesApplied);
        Assert.Equal(PagedSource.PageSize, h.Employees.Count);
    }

    [Fact]
    public async Task When_applying_a_page_fails_the_read_ahead_is_cancelled_and_the_run_ends()
    {
        var source = new PagedSource(pages: 2, hangAfter: 1);
        await using var h = new SyncHarness(services: s => s.AddSingleton<IDirectorySource>(source));
        h.Store.BeforeApply = _ => throw new InvalidOperationException("the store is down");

        var report = await h.RunAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Contains("the store is down", report.Errors[0], StringComparison.Ordinal);
        Assert.True(source.ReadCancelled);
    }

    /// <summary>Pages of users; records when each page is requested; can fail or hang after some pages.</summary>
    private sealed class PagedSource(int pages, int? failAfter = null, int? hangAfter = null) : IDirectorySource
    {
        public const int PageSize = 5;

        public TaskCompletionSource[] Requested { get; } = Enumerable.Range(0, pages).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();

        public bool ReadCancelled { get; private set; }

        public static string Id(int page, int index) => $"00000000-0000-0000-{page:D4}-{index:D12}";

        public async IAsyncEnumerable<DirectoryPage> ReadUsersAsync(DirectoryReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var page = 0; page < pages; page++)
            {
                Requested[page].TrySetResult();
                if (page == failAfter)
                {
                    throw new DirectoryException("Graph kept throttling.", DirectoryErrorKind.Throttled);
                }

                if (page == hangAfter)
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        ReadCancelled = true;
                        throw;
                    }
                }

                yield return new DirectoryPage
                {
                    Users = [.. Enumerable.Range(0, PageSize).Select(i => User(page, i))],
                    Completion = page == pages - 1 ? new DirectoryReadCompletion { IsFullEnumeration = true } : null,
                };
            }
        }

        public ValueTask<DirectoryUserLookup> GetUserAsync(DirectoryReadRequest request, string user, CancellationToken cancellationToken = default) => ValueTask.FromResult(DirectoryUserLookup.NotFound);

        public ValueTask<DirectoryPhoto?> GetPhotoAsync(DirectoryReadRequest request, string userId, CancellationToken cancellationToken = default) => ValueTask.FromResult<DirectoryPhoto?>(null);

        private static DirectoryUser User(int page, int index) => new()
        {
            Id = Id(page, index),
            Properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
            {
                ["givenName"] = DirectoryValue.FromString("User"),
                ["surname"] = DirectoryValue.FromString($"P{page}I{index}"),
                ["mail"] = DirectoryValue.FromString($"p{page}i{index}@contoso.com"),
            },
        };
    }
}
