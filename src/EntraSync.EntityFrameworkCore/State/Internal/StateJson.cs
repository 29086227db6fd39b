using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntraSync.EntityFrameworkCore.State.Internal;

/// <summary>How run reports and staged removals are kept as JSON: enums by name, so the rows read well in SQL.</summary>
internal static class StateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
