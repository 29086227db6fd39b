namespace EntraSync.Samples.Tests;

/// <summary>
/// One headless Chromium for all sample tests: Debian's package at /usr/bin/chromium, driven by Playwright without
/// Playwright's own browser download (which cannot work offline; never run `playwright install`).
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>
    /// Where the tests save screenshots of each workflow, for people to look at: artifacts/screenshots/ at the
    /// repository root (git-ignored; CI keeps the folder as a build artifact), or $SAMPLES_SCREENSHOT_DIR.
    /// </summary>
    public static string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable("SAMPLES_SCREENSHOT_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            throw new InvalidOperationException(
                $"The sample browser tests need Chromium at {ChromiumPath}. Run `sudo bash eng/chromium.sh` (it installs Debian's chromium package)"
                + (ci ? "; .ci/run should have called it before the tests." : " and run the tests again."));
        }

        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Opens a page in a fresh browser context (own cookies) with the sample's address as base URL.</summary>
    /// <remarks>The default window is a normal laptop screen (1366 × 768), so tables that do not fit show up in the tests.</remarks>
    public async Task<IPage> OpenAsync(SampleHost host)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.Address.AbsoluteUri,
            ViewportSize = new() { Width = 1366, Height = 768 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot under <see cref="ScreenshotDirectory"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, Xunit.Abstractions.ITestOutputHelper output)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EntraSync.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The sample tests share one browser and run one after another (two cores, one Chromium).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "Browser";
}
