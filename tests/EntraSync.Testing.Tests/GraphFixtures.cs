using System.Text.Json;

namespace EntraSync.Testing.Tests;

/// <summary>Microsoft's published Graph responses in shared/fixtures/graph-docs, and shape comparisons against them.</summary>
internal static class GraphFixtures
{
    private static readonly Lazy<string> Folder = new(Find);

    public static JsonElement Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder.Value, name)));
        return doc.RootElement.Clone();
    }

    /// <summary>Property names of an object, in order.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>Asserts that both have the same property names (any order), recursively for nested objects present in both.</summary>
    public static void AssertSameShape(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.Equal(expected.ValueKind, actual.ValueKind);
        if (expected.ValueKind == JsonValueKind.Object)
        {
            Assert.Equal(Keys(expected).Order(StringComparer.Ordinal), Keys(actual).Order(StringComparer.Ordinal));
            foreach (var property in expected.EnumerateObject())
            {
                var other = actual.GetProperty(property.Name);
                if (property.Value.ValueKind is JsonValueKind.Object || (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0 && other.ValueKind == JsonValueKind.Array && other.GetArrayLength() > 0 && property.Value[0].ValueKind == JsonValueKind.Object))
                {
                    AssertSameShape(property.Value, other, path + "." + property.Name);
                }
                else if (property.Value.ValueKind != JsonValueKind.Null && other.ValueKind != JsonValueKind.Null)
                {
                    Assert.True(property.Value.ValueKind == other.ValueKind || (IsBool(property.Value) && IsBool(other)), $"{path}.{property.Name}: {property.Value.ValueKind} vs {other.ValueKind}");
                }
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0 && actual.GetArrayLength() > 0 && expected[0].ValueKind == JsonValueKind.Object)
        {
            AssertSameShape(expected[0], actual[0], path + "[0]");
        }
    }

    /// <summary>Asserts a Graph error body has the published shape: error.code, error.message, error.innerError{date, request-id, client-request-id}.</summary>
    public static void AssertGraphError(JsonElement body, string code, string? message = null)
    {
        AssertSameShape(Load("error-403-authorization-requestdenied.json"), body);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        if (message is not null)
        {
            Assert.Equal(message, body.GetProperty("error").GetProperty("message").GetString());
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Find() => EntraSync.Tests.Shared.GraphDocsFolder.Find();
}
