using System.Text.Json;
using EntraSync.Graph.Internal;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Serialization.Json;

namespace EntraSync.Graph.Tests;

/// <summary>Microsoft's published Graph responses in shared/fixtures/graph-docs.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder.Value, name));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder.Value, name));

    public static IEnumerable<string> JsonFiles() => Directory.EnumerateFiles(Folder.Value, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Parses a page with the source's reader, selecting the given properties (none: keep everything).</summary>
    public static GraphPage Page(string name, params string[] select) => new GraphPageReader(PropertySchema.Create(select)).Read(Bytes(name));

    /// <summary>Reads a published list of groups with the same reader, told to expect groups (their mail data tests the email rules).</summary>
    public static GraphPage Groups(string name, params string[] select) => new GraphPageReader(PropertySchema.Create(select)) { ExpectedCollections = ["groups"] }.Read(Bytes(name));

    /// <summary>Deserializes an error fixture with the SDK's own ODataError model, as the request adapter does.</summary>
    public static ODataError Error(string name, int status)
    {
        using var document = JsonDocument.Parse(Bytes(name));
        var error = new JsonParseNode(document.RootElement).GetObjectValue(ODataError.CreateFromDiscriminatorValue)!;
        error.ResponseStatusCode = status;
        return error;
    }

    private static string FindFolder() => EntraSync.Tests.Shared.GraphDocsFolder.Find();
}
