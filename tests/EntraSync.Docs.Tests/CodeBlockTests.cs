namespace EntraSync.Docs.Tests;

/// <summary>Every C# block in README.md and docs/ is taken from code that compiles with the solution.</summary>
public sealed class CodeBlockTests
{
    /// <summary>
    /// Blocks that cannot be compiled yet, in pages whose authors are still editing them. Each entry must still match
    /// a block (so a fixed page fails here until its entry is removed); the compiled form is in docs/snippets.
    /// </summary>
    private static readonly (string File, string Fragment, string Why)[] Pending =
    [
        ("docs/efcore-store.md", "public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options) { protected override void OnModelCreating(ModelBuilder modelBuilder) { modelBuilder.AddSyncedEmployees(); // table SyncedEmployees (optional: your own entity instead, below) modelBuilder.AddEntraSyncState(); // checkpoints, run history, staged removals, tenant state, run leases } } services.AddDbContextFactory",
            "a class followed by statements cannot be one compiled fragment: split the block after the class (docs/snippets/EfCoreStore.cs has both parts)"),
        ("docs/efcore-store.md", "services.AddEntraUserSync(...) .AddEntityFrameworkCoreStore<AppDbContext, Person>(map =>",
            "`AddEntraUserSync(...)` is not C#; docs/snippets/EfCoreStore.cs compiles it as AddEntraUserSync(configuration.GetSection(\"EntraSync\"))"),
    ];

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
            else if (!compiled.Any(source => source.Contains(text, StringComparison.Ordinal))
                && !Pending.Any(p => p.File == file && text.Contains(Markdown.NormalizeWhitespace(p.Fragment), StringComparison.Ordinal)))
            {
                missing.Add($"{file}:{block.Line}: not found in any .cs file under docs/snippets or samples/:\n{block.Text}");
            }
        }

        Assert.True(missing.Count == 0,
            "Put the code in docs/snippets (or quote a sample) and copy it into the page verbatim; indentation may differ.\n\n" + string.Join("\n\n", missing));
    }

    [Fact]
    public void Every_pending_exception_still_matches_a_block()
    {
        foreach (var (file, fragment, why) in Pending)
        {
            var blocks = Markdown.CodeBlocks(Path.Combine(Repository.Root, file)).Where(b => IsCSharp(b.Language));
            Assert.True(
                blocks.Any(b => Markdown.NormalizeWhitespace(b.Text).Contains(Markdown.NormalizeWhitespace(fragment), StringComparison.Ordinal)),
                $"{file} no longer has the block \"{fragment}\" ({why}): remove its entry from {nameof(CodeBlockTests)}.{nameof(Pending)}.");
        }
    }

    [Fact]
    public void The_docs_have_csharp_blocks_and_the_snippets_are_found()
    {
        // Guards the two tests above against passing vacuously (no blocks found, or no sources read).
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
