using System.IO.Compression;
using System.Xml.Linq;

namespace EntraSync.Packaging.Tests;

/// <summary>Each package carries what makes it trustworthy on sight: icon, README, license, repository, docs, symbols.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageContentTests(PackedFeed feed)
{
    public static TheoryData<string> Packages => [.. PackedFeed.Libraries, .. PackedFeed.Tools];

    [Theory, MemberData(nameof(Packages))]
    public void The_package_has_its_metadata_readme_icon_docs_and_symbols(string id)
    {
        var path = Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg");
        Assert.True(File.Exists(path), $"{path} was not packed; the feed has {string.Join(", ", Directory.GetFiles(feed.Feed).Select(Path.GetFileName))}");
        Assert.True(File.Exists(Path.ChangeExtension(path, ".snupkg")), $"no symbols package beside {Path.GetFileName(path)}");

        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        XNamespace ns = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open()).Root!.Name.Namespace;
        var metadata = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open()).Root!.Element(ns + "metadata")!;

        Assert.Equal(feed.Version, metadata.Element(ns + "version")?.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
        Assert.Equal("icon.png", metadata.Element(ns + "icon")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
        Assert.StartsWith("https://github.com/", metadata.Element(ns + "repository")?.Attribute("url")?.Value);
        Assert.StartsWith("https://", metadata.Element(ns + "projectUrl")?.Value);
        Assert.Contains("icon.png", entries);
        Assert.Contains("README.md", entries);

        // The package README is the project's own, not the repository's.
        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.StartsWith($"# {id}", readme.ReadToEnd());

        if (PackedFeed.Libraries.Contains(id))
        {
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);
        }
        else
        {
            Assert.Contains(metadata.Element(ns + "packageTypes")?.Elements(ns + "packageType") ?? [], t => t.Attribute("name")?.Value == "DotnetTool");
            Assert.Contains(entries, e => e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal) && e.EndsWith($"{id}.dll", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_packages_depend_on_each_other_at_the_same_version()
    {
        var dependencies = Dependencies("EntraSync.EntityFrameworkCore");
        Assert.Equal(feed.Version, dependencies["EntraSync.Abstractions"]);
        Assert.Equal(feed.Version, Dependencies("EntraSync.Testing")["EntraSync.Abstractions"]);
        Assert.Equal(feed.Version, Dependencies("EntraSync")["EntraSync.Abstractions"]);
    }

    public static TheoryData<string> StorePackages => ["EntraSync.Abstractions", "EntraSync.EntityFrameworkCore", "EntraSync.Testing"];

    /// <summary>
    /// A host that only wants a store (or the emulator and in-memory stores for its tests) must not get the Graph SDK
    /// and Azure.Identity. These packages may depend on no EntraSync package but Abstractions, so this also covers
    /// what they bring in through each other.
    /// </summary>
    [Theory, MemberData(nameof(StorePackages))]
    public void A_store_package_does_not_bring_in_the_engine_Microsoft_Graph_or_Azure_Identity(string id)
    {
        var dependencies = Dependencies(id).Keys.ToList();
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.Graph", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.Kiota", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Azure.", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.Identity", StringComparison.OrdinalIgnoreCase));
        Assert.All(dependencies.Where(d => d.StartsWith("EntraSync", StringComparison.Ordinal)), d => Assert.Equal("EntraSync.Abstractions", d));
    }

    private Dictionary<string, string> Dependencies(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
        var nuspec = XDocument.Load(zip.GetEntry($"{id}.nuspec")!.Open());
        return nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
    }
}
