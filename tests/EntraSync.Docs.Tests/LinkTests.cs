namespace EntraSync.Docs.Tests;

/// <summary>Every relative link in the docs points to a file (and heading) that exists.</summary>
public sealed class LinkTests
{
    private const string PublishedDocs = "https://github.com/entrasync/entrasync/blob/main/";

    public static TheoryData<string> Files =>
    [
        .. Repository.MarkdownFiles().Select(Repository.Relative),
        .. Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "README.md", SearchOption.AllDirectories)
            .Where(p => !Repository.IsBuildOutput(p)).Select(Repository.Relative).Order(StringComparer.Ordinal),
    ];

    [Theory, MemberData(nameof(Files))]
    public void Every_relative_link_resolves(string file)
    {
        var path = Path.Combine(Repository.Root, file);
        var broken = new List<string>();
        foreach (var link in Markdown.Links(path))
        {
            var target = link.Target;
            string? local;
            if (target.StartsWith(PublishedDocs, StringComparison.Ordinal))
            {
                // Package READMEs link to the published docs; those must exist in this tree.
                local = Path.Combine(Repository.Root, target[PublishedDocs.Length..]);
            }
            else if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            else
            {
                var filePart = target.Split('#')[0];
                local = filePart.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(filePart)));
            }

            var anchor = target.Contains('#') ? target[(target.IndexOf('#') + 1)..] : null;
            local = local.Split('#')[0];
            if (!File.Exists(local) && !Directory.Exists(local))
            {
                broken.Add($"{file}:{link.Line}: {target} (no such file)");
            }
            else if (anchor is { Length: > 0 } && local.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Markdown.Anchors(local).Contains(anchor))
            {
                broken.Add($"{file}:{link.Line}: {target} (no heading #{anchor} in {Repository.Relative(local)}; it has {string.Join(", ", Markdown.Anchors(local))})");
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void The_docs_index_links_every_page()
    {
        var index = Path.Combine(Repository.Root, "docs", "README.md");
        var linked = Markdown.Links(index).Select(l => l.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md")
            .Select(Path.GetFileName).Where(n => n != "README.md").ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(linked.Contains(page!), $"docs/README.md does not link {page}"));
    }
}
