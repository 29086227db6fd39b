namespace EntraSync.Tests.Shared;

/// <summary>Finds Microsoft's published Graph responses: the copy in tests/fixtures/graph-docs, else shared/fixtures/graph-docs beside the repository.</summary>
internal static class GraphDocsFolder
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "tests", "fixtures", "graph-docs"), Path.Combine(dir.FullName, "shared", "fixtures", "graph-docs") })
            {
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"tests/fixtures/graph-docs was not found above {AppContext.BaseDirectory}.");
    }
}
