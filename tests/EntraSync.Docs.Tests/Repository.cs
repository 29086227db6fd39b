namespace EntraSync.Docs.Tests;

/// <summary>Finds the repository's files from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>README.md and every Markdown file under docs/.</summary>
    public static IReadOnlyList<string> MarkdownFiles() =>
        [Path.Combine(Root, "README.md"), .. Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Where(p => !IsBuildOutput(p)).Order(StringComparer.Ordinal)];

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    public static bool IsBuildOutput(string path)
    {
        var parts = Relative(path).Split('/');
        return parts.Contains("bin") || parts.Contains("obj") || parts.Contains("node_modules");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(Path.Combine(dir.FullName, "docs")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (global.json beside docs/) above {AppContext.BaseDirectory}.");
    }
}
