namespace EntraSync.Graph.Internal;

/// <summary>
/// "Did you mean ...?" for a mistyped name (Levenshtein distance). One copy for the engine's messages and the CLI's:
/// EntraSync.Cli compiles this file in (a linked source file), so it needs no public API and no access to internals.
/// </summary>
internal static class NameSuggestions
{
    /// <summary>Suggests the closest names, as text for a message.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names.</param>
    /// <returns>A clause such as <c>. Did you mean "jobTitle"?</c>, or an empty string when nothing is close.</returns>
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        var closest = Closest(name, candidates, 3);
        return closest.Count == 0 ? "" : $". Did you mean {string.Join(" or ", closest.Select(c => $"\"{c}\""))}?";
    }

    /// <summary>Finds up to <paramref name="count"/> names within a distance that scales with the name's length.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names.</param>
    /// <param name="count">How many to return at most.</param>
    /// <returns>The closest names, nearest first.</returns>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count)
    {
        var limit = Math.Max(2, name.Length / 3);
        return candidates
            .Select(c => (Name: c, Distance: Distance(name.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>The Levenshtein distance: single-character inserts, deletes and substitutions to turn one text into the other.</summary>
    /// <param name="a">One text.</param>
    /// <param name="b">The other.</param>
    /// <returns>The distance.</returns>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
