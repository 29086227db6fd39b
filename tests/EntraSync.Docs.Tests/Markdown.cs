using System.Text;
using System.Text.RegularExpressions;

namespace EntraSync.Docs.Tests;

/// <summary>The bits of Markdown the docs tests read: fenced code blocks, links, headings, tables.</summary>
internal static partial class Markdown
{
    public sealed record CodeBlock(string File, int Line, string Language, string Text);

    public sealed record Link(string File, int Line, string Target);

    public static IEnumerable<CodeBlock> CodeBlocks(string file)
    {
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var open = FenceRegex().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var fence = open.Groups["fence"].Value;
            var language = open.Groups["lang"].Value.Trim();
            var start = i + 1;
            var body = new StringBuilder();
            for (i++; i < lines.Length && lines[i].Trim() != fence; i++)
            {
                body.AppendLine(lines[i]);
            }

            yield return new CodeBlock(file, start, language, body.ToString());
        }
    }

    /// <summary>Links outside code blocks and inline code: <c>[text](target)</c> and <c>[text]: target</c>.</summary>
    public static IEnumerable<Link> Links(string file)
    {
        var lines = File.ReadAllLines(file);
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (FenceRegex().IsMatch(lines[i]) || (inFence && lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            var text = InlineCodeRegex().Replace(lines[i], "");
            foreach (Match m in InlineLinkRegex().Matches(text))
            {
                yield return new Link(file, i + 1, m.Groups["target"].Value);
            }

            var reference = ReferenceLinkRegex().Match(text);
            if (reference.Success)
            {
                yield return new Link(file, i + 1, reference.Groups["target"].Value);
            }
        }
    }

    /// <summary>GitHub's anchors for the headings of a Markdown file.</summary>
    public static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in File.ReadAllLines(file))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var heading = HeadingRegex().Match(line);
            if (inFence || !heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var candidate = slug;
            for (var n = 1; !anchors.Add(candidate); n++)
            {
                candidate = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>GitHub's heading slug: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens.</summary>
    public static string Slug(string heading)
    {
        var text = InlineLinkRegex().Replace(heading, m => m.Groups["text"].Value).ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>Collapses every run of whitespace to one space, so indentation and line breaks do not matter.</summary>
    public static string NormalizeWhitespace(string text) => WhitespaceRegex().Replace(text, " ").Trim();

    [GeneratedRegex(@"^\s*(?<fence>```+)(?<lang>[^`]*)$")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCodeRegex();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLinkRegex();

    [GeneratedRegex(@"^\s*\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceLinkRegex();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
