using System.Text.RegularExpressions;
using NJsonSchema;

namespace EntraSync.Cli.Tests.TestSupport;

/// <summary>The JSON schemas documented in docs/cli.md (each follows a <c>&lt;!-- schema: name --&gt;</c> marker).</summary>
public static partial class CliSchemas
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Schemas = new(Load);

    public static IReadOnlyCollection<string> Names => Schemas.Value.Keys.ToList();

    /// <summary>Asserts that <paramref name="json"/> is valid against the documented schema <paramref name="name"/>.</summary>
    public static async Task AssertValidAsync(string name, string json)
    {
        Assert.True(Schemas.Value.TryGetValue(name, out var text), $"docs/cli.md documents no schema '{name}'.");
        var schema = await JsonSchema.FromJsonAsync(text);
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, $"The {name} document does not match its schema in docs/cli.md:\n" +
            string.Join("\n", errors.Select(e => $"  {e.Path}: {e.Kind} {e}")) + "\n" + json);
    }

    private static Dictionary<string, string> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "cli.md");
        var text = File.ReadAllText(path);
        return SchemaBlock().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["schema"].Value);
    }

    [GeneratedRegex(@"<!-- schema: (?<name>[a-z]+) -->\s*```json\s*(?<schema>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SchemaBlock();
}
