namespace EntraSync.Docs.Tests;

/// <summary>Every C# block in README.md and docs/ is taken from code that compiles with the solution.</summary>
public sealed class CodeBlockTests
{
    public static TheoryData<string> MarkdownFiles => [.. Repository.MarkdownFiles().Select(Repository.Relative)];

    [Theory, MemberData(nameof(MarkdownFiles))]
    public void Every_csharp_block_appears_in_compiled_code(string file)
    {
        var compiled = CompiledSources.Value;
        var missing = new List<string>();
        foreach (var block in Markdown.CodeBlocks(Path.Combine(Repository.Root, file)).Where(b => IsCSharp(b.Language)))
        {
            var text = Markdown.NormalizeWhitespace(block.Text);
            if (text.Length == 0)
            {
                missing.Add($"{file}:{block.Line}: the block is empty");
            }
            else if (!compiled.Any(source => source.Contains(text, StringComparison.Ordinal)))
            {
                missing.Add($"{file}:{block.Line}: not found in any .cs file under docs/snippets or samples/:\n{block.Text}");
            }
        }

        Assert.True(missing.Count == 0,
            "Put the code in docs/snippets (or quote a sample) and copy it into the page verbatim; indentation may differ.\n\n" + string.Join("\n\n", missing));
    }

    [Fact]
    public void The_docs_have_csharp_blocks_and_the_snippets_are_found()
    {
        // Guards the test above against passing vacuously (no blocks found, or no sources read).
        var blocks = Repository.MarkdownFiles().SelectMany(Markdown.CodeBlocks).Count(b => IsCSharp(b.Language));
        Assert.True(blocks >= 20, $"only {blocks} C# blocks found");
        Assert.Contains(CompiledSources.Value, s => s.Contains("class MyEmployeeStore", StringComparison.Ordinal));
    }

    private static bool IsCSharp(string language) => language is "csharp" or "cs" or "c#" or "C#";

    private static readonly Lazy<IReadOnlyList<string>> CompiledSources = new(() =>
        new[] { "docs/snippets", "samples" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Repository.Root, dir), "*.cs", SearchOption.AllDirectories))
            .Where(p => !Repository.IsBuildOutput(p))
            .Select(p => Markdown.NormalizeWhitespace(File.ReadAllText(p)))
            .ToList());
}
