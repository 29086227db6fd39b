using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntraSync.EntityFrameworkCore;

/// <summary>The JSON shapes the store writes for synced fields and the assignment.</summary>
internal static class EmployeeJson
{
    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>(StringComparer.Ordinal);

    public static string WriteFields(IReadOnlyDictionary<string, string?> fields) =>
        JsonSerializer.Serialize(fields, StoreJsonContext.Default.IReadOnlyDictionaryStringString);

    public static IReadOnlyDictionary<string, string?> ReadFields(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return NoFields;
        }

        var fields = JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringString);
        return fields is null ? NoFields : new Dictionary<string, string?>(fields, StringComparer.Ordinal);
    }

    public static string? WriteAssignment(EmployeeAssignment assignment) =>
        assignment.Unit is null && assignment.UserTypes.Count == 0
            ? null
            : JsonSerializer.Serialize(new AssignmentJson { Unit = assignment.Unit, UserTypes = [.. assignment.UserTypes] }, StoreJsonContext.Default.AssignmentJson);

    public static EmployeeAssignment ReadAssignment(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return EmployeeAssignment.Unassigned;
        }

        var value = JsonSerializer.Deserialize(json, StoreJsonContext.Default.AssignmentJson);
        return value is null ? EmployeeAssignment.Unassigned : new EmployeeAssignment { Unit = value.Unit, UserTypes = value.UserTypes ?? [] };
    }
}

/// <summary>The stored shape of an <see cref="EmployeeAssignment"/>.</summary>
internal sealed class AssignmentJson
{
    [JsonPropertyName("unit")]
    public string? Unit { get; set; }

    [JsonPropertyName("userTypes")]
    public List<string>? UserTypes { get; set; }
}

[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(AssignmentJson))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
