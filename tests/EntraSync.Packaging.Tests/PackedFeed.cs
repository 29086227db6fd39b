namespace EntraSync.Packaging.Tests;

/// <summary>
/// Packs every package once per test run into a temporary feed, with a version no other build has, so a consumer
/// restoring from it cannot get anything stale.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Libraries = ["EntraSync.Abstractions", "EntraSync", "EntraSync.EntityFrameworkCore", "EntraSync.Quartz", "EntraSync.Testing"];

    public static readonly string[] Tools = ["EntraSync.Emulator", "EntraSync.Cli"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "entrasync-packaging-" + Guid.NewGuid().ToString("N")[..8]);

    public string Feed => Path.Combine(Root, "feed");

    public string VersionSuffix { get; } = "packtest-" + Guid.NewGuid().ToString("N")[..10];

    public string Version => $"{VersionPrefix}-{VersionSuffix}";

    public string VersionPrefix { get; private set; } = "";

    public static string RepositoryRoot { get; } = FindRoot();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        VersionPrefix = ReadVersionPrefix();

        // One solution of the shipping projects, so one MSBuild invocation packs them all (in parallel).
        var solutionDirectory = Path.Combine(Root, "pack");
        Directory.CreateDirectory(solutionDirectory);
        await DotNet.RunAsync(solutionDirectory, TimeSpan.FromMinutes(1), "new", "sln", "--name", "Packages", "--format", "sln");
        var projects = Libraries.Concat(Tools)
            .Select(name => Path.Combine(RepositoryRoot, "src", name, name + ".csproj"))
            .ToArray();
        await DotNet.RunAsync(solutionDirectory, TimeSpan.FromMinutes(1), ["sln", "Packages.sln", "add", .. projects]);
        await DotNet.RunAsync(solutionDirectory, TimeSpan.FromMinutes(8),
            "pack", "Packages.sln", "-c", "Release", "-o", Feed, $"-p:VersionSuffix={VersionSuffix}", "-nodeReuse:false", "-p:UseSharedCompilation=false");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by an exiting child process; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    private static string ReadVersionPrefix()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        var match = System.Text.RegularExpressions.Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>");
        Assert.True(match.Success, "Directory.Build.props has no <VersionPrefix>: the version must come from there.");
        return match.Groups[1].Value.Trim();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
