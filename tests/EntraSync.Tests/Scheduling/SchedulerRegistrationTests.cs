using EntraSync.Scheduling.Internal;
using EntraSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EntraSync.Tests.Scheduling;

public sealed class SchedulerRegistrationTests
{
    [Fact]
    public void AddScheduler_registers_one_hosted_scheduler_even_when_called_twice()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync().AddInMemoryStores().AddDirectorySource<InMemoryDirectory>().AddScheduler().AddScheduler();
        using var provider = services.BuildServiceProvider();

        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        Assert.IsType<SyncScheduler>(hosted);
        Assert.Same(hosted, provider.GetRequiredService<IEntraSyncScheduler>());
    }

    [Fact]
    public void Without_AddScheduler_no_background_service_is_registered()
    {
        var services = new ServiceCollection();
        services.AddEntraUserSync().AddInMemoryStores().AddDirectorySource<InMemoryDirectory>();
        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetServices<IHostedService>());
        Assert.Null(provider.GetService<IEntraSyncScheduler>());
    }

    [Fact]
    public void Scheduler_options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EntraSync:Scheduler:MaxConcurrentRuns"] = "16",
            ["EntraSync:Scheduler:Jitter"] = "00:30:00",
            ["EntraSync:Scheduler:QuarantineAfterFailures"] = "5",
        }).Build();
        var services = new ServiceCollection();
        services.AddEntraUserSync().AddInMemoryStores().AddDirectorySource<InMemoryDirectory>().AddScheduler(configuration.GetSection("EntraSync:Scheduler"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<EntraSyncSchedulerOptions>>().Value;

        Assert.Equal(16, options.MaxConcurrentRuns);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Jitter);
        Assert.Equal(5, options.QuarantineAfterFailures);
        Assert.True(options.Enabled);
    }

    [Fact]
    public async Task Invalid_scheduler_options_stop_the_host_at_start_up_naming_the_option_and_the_fix()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddEntraUserSync().AddInMemoryStores().AddDirectorySource<InMemoryDirectory>().AddScheduler(o =>
        {
            o.MaxConcurrentRuns = 0;
            o.PollInterval = TimeSpan.Zero;
            o.Jitter = TimeSpan.FromMinutes(-1);
            o.QuarantineAfterFailures = 0;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EntraSync:Scheduler:MaxConcurrentRuns is 0. Use 1 to 1000", error.Message, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Scheduler:PollInterval is 00:00:00. Use 1 second to 1 hour", error.Message, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Scheduler:Jitter is -00:01:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("EntraSync:Scheduler:QuarantineAfterFailures is 0", error.Message, StringComparison.Ordinal);
    }
}
