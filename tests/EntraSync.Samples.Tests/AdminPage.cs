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

    [GeneratedRegex(@"\b(Connection|Removal|Scope|Schedule|Matching|EntraApp|Fields|Filter|Photos):[A-Z][A-Za-z]+|Exception\b|docs/[a-z-]+\.md")]
    private static partial Regex DeveloperText();
}
