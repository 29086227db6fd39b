using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

internal enum PropertyKind
{
    String,
    Bool,
    StringList,
    Licenses,
    ExtensionAttributes,
    DateTime,
    Open,
    UnmodelledScalar,
    UnmodelledList,

    /// <summary>The manager navigation property, as delta writes it: <c>manager@delta</c>, a list of directory objects.</summary>
    Manager,
}

/// <summary>One user property: how it is written, compared, filtered and set. Names are Graph's (camelCase).</summary>
internal sealed class UserProperty
{
    private static readonly string[] ExtensionAttributeNames =
        [.. Enumerable.Range(1, 15).Select(i => "extensionAttribute" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly ConcurrentDictionary<string, UserProperty> OpenProperties = new(StringComparer.OrdinalIgnoreCase);

    private JsonEncodedText? _jsonName;

    public required string Name { get; init; }

    public JsonEncodedText JsonName => _jsonName ??= JsonEncodedText.Encode(Kind == PropertyKind.Manager ? Name + "@delta" : Name, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    public required PropertyKind Kind { get; init; }

    public bool IsDefault { get; init; }

    public bool SingleEntityOnly { get; init; }

    public bool ReadOnly { get; init; }

    public bool Filterable { get; init; }

    public Func<EmulatedUser, string?>? GetString { get; init; }

    public Action<EmulatedUser, string?>? SetString { get; init; }

    public Func<EmulatedUser, bool?>? GetBool { get; init; }

    public Action<EmulatedUser, bool?>? SetBool { get; init; }

    public Func<EmulatedUser, List<string>?>? GetList { get; init; }

    public Func<EmulatedUser, IList<string>>? List { get; init; }

    public static IReadOnlyList<string> ExtensionAttributeKeys => ExtensionAttributeNames;

    public static UserProperty Open(string name) => OpenProperties.GetOrAdd(name, static n => new UserProperty
    {
        Name = n,
        Kind = PropertyKind.Open,
        Filterable = true,
    });

    /// <summary>True when the property was never set (delta omits it).</summary>
    public bool IsUnset(EmulatedUser user) => Kind switch
    {
        PropertyKind.String => GetString!(user) is null,
        PropertyKind.Bool => GetBool!(user) is null,
        PropertyKind.StringList => GetList!(user) is not { Count: > 0 },
        PropertyKind.Licenses => user.AssignedLicensesOrNull is not { Count: > 0 },
        PropertyKind.ExtensionAttributes => user.ExtensionAttributesOrNull is not { Count: > 0 },
        PropertyKind.DateTime => user.CreatedDateTime is null,
        PropertyKind.Open => user.AdditionalPropertiesOrNull is null || !user.AdditionalPropertiesOrNull.ContainsKey(Name),
        PropertyKind.Manager => user.ManagerId is null,
        _ => true,
    };

    public void WriteValue(Utf8JsonWriter writer, EmulatedUser user)
    {
        switch (Kind)
        {
            case PropertyKind.Manager:
                // Graph's manager@delta: the manager as a directory object reference (id only).
                writer.WriteStartArray();
                if (user.ManagerId is { } manager)
                {
                    writer.WriteStartObject();
                    writer.WriteString("@odata.type", "#microsoft.graph.user");
                    writer.WriteString("id", manager);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case PropertyKind.String:
                WriteStringOrNull(writer, GetString!(user));
                break;
            case PropertyKind.Bool:
                var b = GetBool!(user);
                if (b is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteBooleanValue(b.Value);
                }

                break;
            case PropertyKind.StringList:
                writer.WriteStartArray();
                if (GetList!(user) is { } list)
                {
                    foreach (var item in list)
                    {
                        writer.WriteStringValue(item);
                    }
                }

                writer.WriteEndArray();
                break;
            case PropertyKind.Licenses:
                writer.WriteStartArray();
                if (user.AssignedLicensesOrNull is { } licenses)
                {
                    foreach (var sku in licenses)
                    {
                        writer.WriteStartObject();
                        writer.WriteStartArray("disabledPlans");
                        writer.WriteEndArray();
                        writer.WriteString("skuId", sku);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndArray();
                break;
            case PropertyKind.ExtensionAttributes:
                writer.WriteStartObject();
                var values = user.ExtensionAttributesOrNull;
                foreach (var key in ExtensionAttributeNames)
                {
                    writer.WritePropertyName(key);
                    WriteStringOrNull(writer, values is not null && values.TryGetValue(key, out var v) ? v : null);
                }

                writer.WriteEndObject();
                break;
            case PropertyKind.DateTime:
                if (user.CreatedDateTime is { } created)
                {
                    writer.WriteStringValue(FormatDate(created));
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case PropertyKind.Open:
                object? value = null;
                user.AdditionalPropertiesOrNull?.TryGetValue(Name, out value);
                WriteOpenValue(writer, value);
                break;
            case PropertyKind.UnmodelledList:
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>The value $filter sees: string, bool, long, a list of strings, or null.</summary>
    public object? GetFilterValue(EmulatedUser user) => Kind switch
    {
        PropertyKind.String => GetString!(user),
        PropertyKind.Bool => GetBool!(user),
        PropertyKind.StringList => (object?)GetList!(user) ?? Array.Empty<string>(),
        PropertyKind.Licenses => user.AssignedLicensesOrNull is { } l ? l.Select(g => g.ToString()).ToList() : Array.Empty<string>(),
        PropertyKind.DateTime => user.CreatedDateTime is { } d ? FormatDate(d) : null,
        PropertyKind.Open => user.AdditionalPropertiesOrNull is { } p && p.TryGetValue(Name, out var v) ? NormalizeOpen(v) : null,
        _ => null,
    };

    /// <summary>Sets the property from a JSON value (POST/PATCH). Returns an error message or null.</summary>
    public string? SetFromJson(EmulatedUser user, JsonElement value)
    {
        if (ReadOnly || Kind is PropertyKind.UnmodelledScalar or PropertyKind.UnmodelledList)
        {
            return $"Property '{Name}' is read-only and cannot be set.";
        }

        switch (Kind)
        {
            case PropertyKind.String when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                SetString!(user, value.ValueKind == JsonValueKind.Null ? null : value.GetString());
                return null;
            case PropertyKind.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                SetBool!(user, value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean());
                return null;
            case PropertyKind.StringList when value.ValueKind is JsonValueKind.Array or JsonValueKind.Null:
                var list = List!(user);
                list.Clear();
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            return $"Invalid value specified for property '{Name}' of resource 'User'.";
                        }

                        list.Add(item.GetString()!);
                    }
                }

                return null;
            case PropertyKind.ExtensionAttributes when value.ValueKind == JsonValueKind.Object:
                foreach (var item in value.EnumerateObject())
                {
                    if (!ExtensionAttributeNames.Contains(item.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        return $"Invalid value specified for property '{Name}' of resource 'User'.";
                    }

                    if (item.Value.ValueKind == JsonValueKind.Null)
                    {
                        user.OnPremisesExtensionAttributes.Remove(item.Name);
                    }
                    else
                    {
                        user.OnPremisesExtensionAttributes[item.Name] = item.Value.GetString();
                    }
                }

                return null;
            case PropertyKind.Open:
                if (value.ValueKind == JsonValueKind.Null)
                {
                    user.AdditionalProperties.Remove(Name);
                }
                else
                {
                    user.AdditionalProperties[Name] = value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.Number => value.TryGetInt64(out var n) ? n : value.GetDouble(),
                        JsonValueKind.Array => value.EnumerateArray().Select(e => e.ToString()).ToList(),
                        _ => value.GetRawText(),
                    };
                }

                return null;
            default:
                return $"Invalid value specified for property '{Name}' of resource 'User'.";
        }
    }

    internal static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static object? NormalizeOpen(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        int i => (long)i,
        long l => l,
        IEnumerable<string> e => e.ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static void WriteStringOrNull(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WriteOpenValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case IEnumerable<string> e:
                writer.WriteStartArray();
                foreach (var item in e)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
