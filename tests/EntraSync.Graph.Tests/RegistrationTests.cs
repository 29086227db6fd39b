using EntraSync.Connectivity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EntraSync.Graph.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public void AddEntraUserSync_makes_Graph_the_default_source_and_the_connectivity_checker()
    {
        using var provider = new ServiceCollection().AddLogging().AddEntraUserSync().Services.BuildServiceProvider();

        Assert.IsType<GraphDirectorySource>(provider.GetRequiredService<IDirectorySource>());
        Assert.IsType<DirectoryConnectivityChecker>(provider.GetRequiredService<IDirectoryConnectivityChecker>());
    }

    [Fact]
    public void A_source_the_host_registered_first_wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDirectorySource, Testing.InMemoryDirectory>();
        services.AddEntraUserSync();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<Testing.InMemoryDirectory>(provider.GetRequiredService<IDirectorySource>());
    }

    [Fact]
    public void Bad_source_options_fail_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync();
        services.Configure<GraphSourceOptions>(o =>
        {
            o.MaxRetries = -1;
            o.MaxPageAttempts = 0;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GraphSourceOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("GraphSourceOptions.MaxRetries", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("GraphSourceOptions.MaxPageAttempts", StringComparison.Ordinal));
    }
}
