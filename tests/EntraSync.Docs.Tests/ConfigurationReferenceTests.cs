using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace EntraSync.Docs.Tests;

/// <summary>
/// docs/configuration.md lists every option of every public options type with its real default: the types are found
/// by reflection, so a new option (or a changed default) fails here until the page says so.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly string Page = Path.Combine(Repository.Root, "docs", "configuration.md");

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        PropertyNameCaseInsensitive = true,
    };

    /// <summary>The configuration types: public <c>*Options</c> classes of the two runtime packages and every class their options hold.</summary>
    public static IReadOnlyList<Type> OptionsTypes()
    {
        var assemblies = new[] { typeof(SyncProfile).Assembly, typeof(EntraSyncOptions).Assembly };
        var found = new SortedDictionary<string, Type>(StringComparer.Ordinal);
        var queue = new Queue<Type>(assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && !t.IsAbstract && t.Name.EndsWith("Options", StringComparison.Ordinal) && IsConfigurable(t)));
        while (queue.TryDequeue(out var type))
        {
            if (!found.TryAdd(type.Name, type))
            {
                continue;
            }

            foreach (var property in Settable(type))
            {
                var inner = ItemType(property.PropertyType) ?? property.PropertyType;
                if (inner.IsClass && inner != typeof(string) && assemblies.Contains(inner.Assembly) && IsConfigurable(inner))
                {
                    queue.Enqueue(inner);
                }
            }
        }

        return [.. found.Values];
    }

    public static TheoryData<string> TypeNames => [.. OptionsTypes().Select(t => t.Name)];

    [Fact]
    public void The_reflection_finds_the_options_the_brief_names()
    {
        var names = OptionsTypes().Select(t => t.Name).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                nameof(EntraSyncOptions), nameof(SyncProfile), nameof(DirectoryConnectionOptions), nameof(DirectoryScopeOptions),
                nameof(EmailResolutionOptions), nameof(FieldMapOptions), nameof(FieldMapping), nameof(UserFilterOptions),
                nameof(FilterGroup), nameof(FilterRule), nameof(PeopleOnlyOptions), nameof(AssignmentMatchingOptions),
                nameof(RemovalOptions), nameof(PhotoOptions), nameof(ScheduleOptions), nameof(EntraSyncSchedulerOptions),
                nameof(EntraSyncTelemetryOptions), nameof(EntraSync.Graph.GraphSourceOptions), nameof(EntraSyncHealthCheckOptions),
            },
            names);
    }

    [Theory, MemberData(nameof(TypeNames))]
    public void Every_option_is_documented_with_its_default(string typeName)
    {
        var type = OptionsTypes().Single(t => t.Name == typeName);
        var lines = File.ReadAllLines(Page);
        var section = Section(lines, type);
        Assert.True(section is not null, $"docs/configuration.md has no heading naming `{type.Name}`.");
        var rows = Rows(lines, section.Value);
        var instance = Activator.CreateInstance(type)!;
        var problems = new List<string>();

        foreach (var property in Settable(type))
        {
            if (!rows.TryGetValue(property.Name, out var cell))
            {
                problems.Add($"`{property.Name}` has no row in the `{type.Name}` table");
                continue;
            }

            var problem = CheckDefault(lines, property, property.GetValue(instance), cell);
            if (problem is not null)
            {
                problems.Add($"`{property.Name}`: {problem}");
            }
        }

        foreach (var documented in rows.Keys.Where(k => type.GetProperty(k) is null))
        {
            problems.Add($"`{documented}` is documented but `{type.Name}` has no such option");
        }

        Assert.True(problems.Count == 0, $"docs/configuration.md, `{type.Name}`:\n" + string.Join("\n", problems));
    }

    private static string? CheckDefault(string[] lines, PropertyInfo property, object? value, string cell)
    {
        var type = property.PropertyType;
        var itemType = ItemType(type);
        if (IsSection(type))
        {
            var anchor = Anchor(type);
            return cell.Contains($"(#{anchor})", StringComparison.Ordinal) ? null : $"the default cell should link the section (#{anchor})";
        }

        if (itemType is not null && IsSection(itemType) && value is ICollection { Count: > 0 } items)
        {
            // A non-empty list of objects (the default field map): the cell links a heading whose first JSON block holds the list.
            var link = LinkRegex().Match(cell);
            if (!link.Success)
            {
                return "the default cell should link a heading with the default list as JSON";
            }

            var json = JsonBlockUnder(lines, link.Groups[1].Value);
            if (json is null)
            {
                return $"no ```json block under #{link.Groups[1].Value}";
            }

            var listType = typeof(List<>).MakeGenericType(itemType);
            var documented = JsonSerializer.SerializeToNode(JsonSerializer.Deserialize(json, listType, Json), listType, Json);
            var actual = JsonSerializer.SerializeToNode(value, listType.IsInstanceOfType(value) ? listType : type, Json);
            return JsonNode.DeepEquals(documented, actual) ? null : $"the JSON under #{link.Groups[1].Value} is not the default:\n{actual!.ToJsonString(Json)}";
        }

        var code = CodeSpanRegex().Match(cell);
        if (!code.Success)
        {
            return $"the default cell \"{cell}\" has no `code` value; expected `{Canonical(value)}`";
        }

        var text = code.Groups[1].Value.Trim();
        if (value is IEnumerable and not string)
        {
            try
            {
                return JsonNode.DeepEquals(JsonNode.Parse(text), JsonSerializer.SerializeToNode(value, type, Json)) ? null : $"documented `{text}`, actual `{Canonical(value)}`";
            }
            catch (JsonException)
            {
                return $"documented `{text}` is not JSON; actual `{Canonical(value)}`";
            }
        }

        return text == Canonical(value) ? null : $"documented `{text}`, actual `{Canonical(value)}`";
    }

    /// <summary>How a default is written in the page: as it would be written in appsettings.json (TimeSpan as <c>c</c> format).</summary>
    private static string Canonical(object? value) => value switch
    {
        null => "null",
        Delegate => "null",
        bool b => b ? "true" : "false",
        string s => JsonSerializer.Serialize(s, Json),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable => JsonSerializer.Serialize(value, Json),
        _ => value.ToString() ?? "null",
    };

    private static (int Start, int End)? Section(string[] lines, Type type)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var level = HeadingLevel(lines[i]);
            if (level > 0 && lines[i].Contains($"`{type.Name}`", StringComparison.Ordinal))
            {
                var end = i + 1;
                while (end < lines.Length && HeadingLevel(lines[end]) == 0)
                {
                    end++;
                }

                return (i, end);
            }
        }

        return null;
    }

    private static Dictionary<string, string> Rows(string[] lines, (int Start, int End) section)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = section.Start; i < section.End; i++)
        {
            var row = RowRegex().Match(lines[i]);
            if (row.Success)
            {
                rows[row.Groups["name"].Value] = row.Groups["default"].Value;
            }
        }

        return rows;
    }

    private static string? JsonBlockUnder(string[] lines, string anchor)
    {
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (inFence || HeadingLevel(lines[i]) == 0 || Markdown.Slug(lines[i].TrimStart('#').Trim()) != anchor)
            {
                continue;
            }

            var start = Array.FindIndex(lines, i, l => l.TrimStart().StartsWith("```json", StringComparison.Ordinal));
            if (start < 0)
            {
                return null;
            }

            var end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            return string.Join('\n', lines[(start + 1)..end]);
        }

        return null;
    }

    private static string Anchor(Type type)
    {
        var heading = File.ReadAllLines(Page).First(l => HeadingLevel(l) > 0 && l.Contains($"`{type.Name}`", StringComparison.Ordinal));
        return Markdown.Slug(heading.TrimStart('#').Trim());
    }

    private static int HeadingLevel(string line)
    {
        var level = line.TakeWhile(c => c == '#').Count();
        return level is > 0 and <= 6 && line.Length > level && line[level] == ' ' ? level : 0;
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.SetMethod is { IsPublic: true } && !IsInitOnly(p));

    private static bool IsConfigurable(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is not null && Settable(type).Any();

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static bool IsSection(Type type) => OptionsTypes().Contains(type);

    private static Type? ItemType(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable).IsAssignableFrom(type) ? item : null;

    [GeneratedRegex(@"^\|\s*`(?<name>[A-Za-z0-9_]+)`\s*\|\s*(?<default>[^|]*?)\s*\|")]
    private static partial Regex RowRegex();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpanRegex();

    [GeneratedRegex(@"\]\(#([^)]+)\)")]
    private static partial Regex LinkRegex();
}
