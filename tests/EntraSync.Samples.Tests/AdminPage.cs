using System.Text.RegularExpressions;

namespace EntraSync.Samples.Tests;

/// <summary>Checks shared by both samples' tests: what an admin must never read, and tables that fit the window.</summary>
internal static partial class AdminPage
{
    /// <summary>Configuration keys ("Removal:MaxRemovalsPerRun"), .NET exception names and paths of our docs are for developers and the log.</summary>
    public static async Task AssertSpeaksToAdminsAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(DeveloperText(), text);
    }

    /// <summary>Whether an element is no wider than the space it has (no horizontal scrolling).</summary>
    public static async Task AssertFitsAsync(ILocator element)
    {
        var sizes = await element.EvaluateAsync<int[]>("e => [e.scrollWidth, e.parentElement.clientWidth]");
        Assert.True(sizes[0] <= sizes[1], $"{sizes[0]} px wide in {sizes[1]} px");
    }

    /// <summary>Moves the test's clock a minute at a time, so answers waiting on it arrive, until the button is enabled again (the run ended).</summary>
    public static async Task LetTimePassUntilAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, ILocator button)
    {
        for (var i = 0; i < 200 && !await button.IsEnabledAsync(); i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);   // let the app and the page's poll catch up
        }

        await Assertions.Expect(button).ToBeEnabledAsync();
    }

    [GeneratedRegex(@"\b(Connection|Removal|Scope|Schedule|Matching|EntraApp|Fields|Filter|Photos):[A-Z][A-Za-z]+|Exception\b|docs/[a-z-]+\.md")]
    private static partial Regex DeveloperText();
}
