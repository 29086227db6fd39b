using System.Collections;
using System.Reflection;
using System.Text.Json;
using EntraSync.Profiles;
using Microsoft.Extensions.Configuration;

namespace EntraSync.Cli.Configuration;

/// <summary>
/// Reads <c>--config FILE</c>: a JSON profile shaped like <see cref="SyncProfile"/>, or a whole appsettings.json
/// with one tenant under <c>EntraSync:Tenants</c>. Every problem is a usage error naming the file, the setting and the fix.
/// </summary>
internal static class ProfileFile
{
    private const string Hint = "The file holds one profile shaped like appsettings' EntraSync:Tenants:0 (see docs/cli.md, \"The profile file\").";

    /// <summary>Loads and validates the profile in <paramref name="path"/>.</summary>
    /// <returns>The profile, and the section it came from (its <c>Connection</c> settings are merged by the caller).</returns>
    public static (SyncProfile Profile, IConfiguration Section, string SettingPrefix) Load(string path)
    {
        if (Directory.Exists(path))
        {
            throw CliException.Usage($"The config file '{path}' is a folder, not a file.", "Pass the path of the JSON profile file itself to --config.");
        }

        if (!File.Exists(path))
        {
            throw CliException.Usage($"The config file '{path}' does not exist.", "Check the path given to --config.");
        }

        CheckJson(path);
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or JsonException or IOException)
        {
            var detail = ex.InnerException is JsonException json ? json.Message : ex.Message;
            throw CliException.Usage($"The config file '{path}' is not valid JSON: {detail}", Hint, ex);
        }

        var (section, prefix) = SelectProfile(root, path);
        var errors = new List<string>();
        CheckKeys(section, typeof(SyncProfile), prefix, errors);
        if (errors.Count > 0)
        {
            throw CliException.Usage($"The config file '{path}': {errors[0]}", More(errors) ?? Hint);
        }

        SyncProfile profile;
        try
        {
            profile = SyncProfileConfiguration.Load(section);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the setting: "Failed to convert configuration value 'lots' at 'Removal:Mode' to type ...".
            throw CliException.Usage($"The config file '{path}': {ConversionProblem(ex)}", "Enums take their names (for example \"SoftDelete\"), periods take \"d.hh:mm:ss\" (for example \"90.00:00:00\").", ex);
        }

        return (profile, section, prefix);
    }

    /// <summary>Says which setting holds a value of the wrong kind, in words (no .NET type names).</summary>
    internal static string ConversionProblem(InvalidOperationException exception)
    {
        var match = System.Text.RegularExpressions.Regex.Match(exception.Message, @"value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            return "a setting has a value of the wrong kind.";
        }

        var typeName = match.Groups["type"].Value;
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(t => t is not null);
        var expected = type is { IsEnum: true } ? "one of " + string.Join(", ", Enum.GetNames(type)) : CliApp.Describe(typeName);
        return $"'{match.Groups["key"].Value}' is '{match.Groups["value"].Value}', but it takes {expected}.";
    }

    /// <summary>Parses the file as the configuration reader will (comments and trailing commas allowed), to name the line and position of a mistake.</summary>
    private static void CheckJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
            var reason = ex.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
            throw CliException.Usage($"The config file '{path}' is not valid JSON{where}: {reason}.", Hint, ex);
        }
        catch (IOException ex)
        {
            throw CliException.Usage($"The config file '{path}' could not be read: {ex.Message}", "Check that the file exists and you may read it.", ex);
        }
    }

    /// <summary>Checks a loaded profile the way sync will, so a bad setting stops the tool before anything runs.</summary>
    public static void Validate(SyncProfile profile, string source, string prefix)
    {
        var problems = SyncProfileValidator.Validate(profile, prefix);
        if (problems.Count > 0)
        {
            throw CliException.Usage($"{source}: {problems[0]}", More(problems) ?? Hint);
        }
    }

    private static string? More(IReadOnlyList<string> problems) =>
        problems.Count > 1 ? $"{problems.Count - 1} more problem(s) after this one; the next: {problems[1]}" : null;

    private static (IConfiguration Section, string Prefix) SelectProfile(IConfigurationRoot root, string path)
    {
        var entraSync = root.GetSection("EntraSync");
        if (!entraSync.Exists())
        {
            return (root, "");
        }

        var tenants = entraSync.GetSection("Tenants").GetChildren().ToList();
        return tenants.Count switch
        {
            1 => (tenants[0], $"EntraSync:Tenants:{tenants[0].Key}:"),
            0 => throw CliException.Usage(
                $"The config file '{path}' has an EntraSync section but no profile under EntraSync:Tenants.",
                "Put one profile in EntraSync:Tenants, or write the profile at the top level of the file."),
            _ => throw CliException.Usage(
                $"The config file '{path}' has {tenants.Count} profiles under EntraSync:Tenants; the tool works on one tenant at a time.",
                "Copy the tenant's profile into a file of its own and pass that to --config."),
        };
    }

    private static void CheckKeys(IConfiguration section, Type type, string path, List<string> errors)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanRead)
            {
                var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || !IsSimple(p.PropertyType)).Select(p => p.Name);
                var suggestion = Closest(child.Key, known);
                errors.Add($"{path}{child.Key} is not a setting{(suggestion is null ? "" : $"; did you mean {path}{suggestion}?")} Settings here: {string.Join(", ", known)}.");
                continue;
            }

            var propertyType = property.PropertyType;
            if (IsList(propertyType, out var itemType))
            {
                if (!IsSimple(itemType))
                {
                    foreach (var item in child.GetChildren())
                    {
                        CheckKeys(item, itemType, $"{path}{child.Key}:{item.Key}:", errors);
                    }
                }
            }
            else if (!IsSimple(propertyType) && !IsDictionary(propertyType))
            {
                CheckKeys(child, propertyType, $"{path}{child.Key}:", errors);
            }
        }
    }

    private static string? Closest(string key, IEnumerable<string> candidates) =>
        EntraSync.Graph.Internal.NameSuggestions.Closest(key, candidates, 1).FirstOrDefault();

    private static bool IsList(Type type, out Type itemType)
    {
        if (type.IsArray)
        {
            itemType = type.GetElementType()!;
            return true;
        }

        if (type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string))
        {
            itemType = type.GetGenericArguments()[0];
            return true;
        }

        itemType = typeof(object);
        return false;
    }

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericArguments().Length == 2 && typeof(IEnumerable).IsAssignableFrom(type));

    private static bool IsSimple(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(TimeSpan) || underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime)
            || underlying == typeof(Guid) || underlying == typeof(Uri) || underlying == typeof(object);
    }
}
