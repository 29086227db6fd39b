using EntraSync.Quartz.Health.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EntraSync.Quartz.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task The_health_check_reports_the_scheduler_state_and_the_tenants_it_plans()
    {
        await using var h = new QuartzHarness();
        h.AddTenant("contoso");
        await h.PlanAsync();
        var check = ActivatorUtilities.CreateInstance<EntraSyncQuartzHealthCheck>(h.Services);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("entrasync-quartz", check, null, null) };

        var standby = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Degraded, standby.Status);
        Assert.Equal(1, standby.Data["tenants"]);

        var scheduler = await h.SchedulerAsync();
        await scheduler.Start();
        var running = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(false, running.Data["clustered"]);

        await scheduler.Shutdown(waitForJobsToComplete: true);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);
    }

    [Fact]
    public void The_health_check_is_registered_by_name()
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddEntraSyncQuartz(tags: ["ready"]);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value;
        var registration = Assert.Single(options.Registrations);
        Assert.Equal("entrasync-quartz", registration.Name);
        Assert.Contains("ready", registration.Tags);
    }
}
