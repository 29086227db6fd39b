namespace EntraSync.Packaging.Tests;

/// <summary>A fresh project restores the packed EntraSync and EntraSync.Testing and syncs the in-process emulator, as a consumer would.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ConsumerTests(PackedFeed feed)
{
    private const string Program = """
        using EntraSync;
        using EntraSync.Testing;
        using EntraSync.Testing.Emulator;
        using Microsoft.Extensions.DependencyInjection;

        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = 30, Seed = 11 });
        var tenant = emulator.DefaultTenant;
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddEntraUserSync(o => o.Tenants.Add(new SyncProfile
            {
                TenantId = "consumer",
                Connection = { TenantId = tenant.Id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(tenant.Id) },
            }))
            .AddInMemoryStores()
            .Services.BuildServiceProvider();

        var sync = services.GetRequiredService<IEntraUserSync>();
        var first = await sync.SyncAsync("consumer");
        var second = await sync.SyncAsync("consumer");
        var employees = services.GetRequiredService<InMemoryEmployeeStore>().GetEmployees("consumer").Count;
        Console.WriteLine($"first={first.Outcome};{first.Mode};read={first.Counts.Read};created={first.Counts.Created};errors={string.Join(" ", first.Errors)}");
        Console.WriteLine($"second={second.Outcome};{second.Mode};changes={second.Counts.Changes}");
        Console.WriteLine($"employees={employees}");
        Console.WriteLine($"engine={typeof(IEntraUserSync).Assembly.Location}");
        """;

    [Fact]
    public async Task A_fresh_project_restores_the_packages_and_syncs_the_emulator()
    {
        var consumer = Path.Combine(feed.Root, "consumer");
        var packages = Path.Combine(feed.Root, "packages");
        Directory.CreateDirectory(consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "NuGet.config"), await NuGetConfigAsync(packages));
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="EntraSync" Version="{feed.Version}" />
                <PackageReference Include="EntraSync.Testing" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), Program);

        await DotNet.RunAsync(consumer, TimeSpan.FromMinutes(5), "restore", "--configfile", "NuGet.config");
        var output = await DotNet.RunAsync(consumer, TimeSpan.FromMinutes(5), "run", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false");

        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains('=', StringComparison.Ordinal)).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        Assert.True(lines.ContainsKey("first"), output);
        var first = lines["first"].Split(';');
        Assert.Equal("Succeeded", first[0]);
        Assert.Equal("Full", first[1]);
        Assert.Equal("read=30", first[2]);
        var created = int.Parse(first[3]["created=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(created, 1, 30);
        Assert.Equal(created.ToString(System.Globalization.CultureInfo.InvariantCulture), lines["employees"]);
        Assert.Equal("Succeeded;Incremental;changes=0", lines["second"]);

        // The engine that ran is the one from the packed package, restored into the isolated folder.
        var restored = Path.Combine(packages, "entrasync", feed.Version, "lib", "net10.0", "EntraSync.dll");
        Assert.True(File.Exists(restored), $"{restored} was not restored");
        Assert.Equal(
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(restored))),
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(lines["engine"]))));
    }

    /// <summary>The temporary feed first, then this machine's enabled sources for the dependencies; an isolated packages folder.</summary>
    private async Task<string> NuGetConfigAsync(string packages)
    {
        var sources = (await DotNet.RunAsync(feed.Root, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short"))
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('E'))
            .Select(l => l[1..].Trim())
            .ToList();
        Assert.NotEmpty(sources);
        var adds = string.Join("\n", sources.Select((s, i) => $"""    <add key="source{i}" value="{s}" />"""));
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <clear />
                <add key="packed" value="{feed.Feed}" />
            {adds}
              </packageSources>
            </configuration>
            """;
    }
}
