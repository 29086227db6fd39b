using System.Runtime.CompilerServices;
using EntraSync.Quartz.Scheduling.Internal;
using EntraSync.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace EntraSync.Quartz.Tests;

/// <summary>
/// EntraSync on Quartz in one process: Quartz's in-memory job store (the same scheduling code as the clustered store),
/// in-memory EntraSync stores and directory, profiles the test changes, and a fake clock for EntraSync's schedule.
/// The scheduler is not started unless a test starts it, so planning is inspected without anything firing.
/// </summary>
internal sealed class QuartzHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public QuartzHarness(Action<EntraSyncSchedulerOptions>? configure = null, DateTimeOffset? start = null, Action<IServiceCollection>? replace = null)
    {
        Time = new FakeTimeProvider(start ?? Start);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddQuartz(q => q.UseInMemoryStore());
        services.AddEntraUserSync()
            .AddInMemoryStores()
            .AddDirectorySource<InMemoryDirectory>()
            .AddQuartzScheduling(o =>
            {
                o.Jitter = TimeSpan.FromMinutes(10);
                configure?.Invoke(o);
            });
        services.Replace(ServiceDescriptor.Singleton<ISyncProfileProvider>(Profiles));
        replace?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Gets the clock of EntraSync and of Quartz (the default scheduler reads the container's TimeProvider).</summary>
    public FakeTimeProvider Time { get; }

    public TestProfiles Profiles { get; } = new();

    public IServiceProvider Services => _services;

    public InMemoryDirectory Directory => (InMemoryDirectory)_services.GetRequiredService<IDirectorySource>();

    public ISyncStateStore State => _services.GetRequiredService<ISyncStateStore>();

    public IQuartzSyncTriggers Triggers => _services.GetRequiredService<IQuartzSyncTriggers>();

    public ValueTask<IScheduler> SchedulerAsync() => _services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    public SyncProfile AddTenant(string tenantId, Action<SyncProfile>? configure = null)
    {
        var profile = new SyncProfile { TenantId = tenantId, Version = "1" };
        profile.Schedule.Interval = TimeSpan.FromHours(1);
        configure?.Invoke(profile);
        Profiles.Set(profile);
        Directory.Upsert(tenantId, "00000000-0000-0000-0000-000000000001", new Dictionary<string, object?>
        {
            ["displayName"] = "Ada Lovelace",
            ["givenName"] = "Ada",
            ["surname"] = "Lovelace",
            ["mail"] = $"ada@{tenantId}.example",
        });
        return profile;
    }

    /// <summary>One planning pass, as the planner job runs it.</summary>
    public async Task<PlanSummary> PlanAsync() =>
        await _services.GetRequiredService<TenantPlanner>().PlanAsync(await SchedulerAsync(), CancellationToken.None);

    /// <summary>Stores the planner job and its refresh trigger, as every node does at start.</summary>
    public async Task RegisterPlannerAsync() =>
        await ActivatorUtilities.CreateInstance<PlannerRegistration>(_services, new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(Microsoft.Extensions.Logging.Abstractions.NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance))
            .RegisterAsync(_services.GetRequiredService<IOptionsMonitor<EntraSyncSchedulerOptions>>().CurrentValue, CancellationToken.None);

    public async Task<ITrigger?> ScheduleTriggerAsync(string tenantId) =>
        await (await SchedulerAsync()).GetTrigger(QuartzKeys.ScheduleTrigger(tenantId));

    /// <summary>Waits for a condition that Quartz's own threads make true, checking every 50 ms, failing after 60 seconds.</summary>
    public static async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var scheduler = await SchedulerAsync();
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        catch (SchedulerException)
        {
            // The test shut it down already.
        }

        await _services.DisposeAsync();
    }
}

/// <summary>Profiles the test sets, removes, or makes fail.</summary>
public sealed class TestProfiles : ISyncProfileProvider
{
    private readonly Dictionary<string, SyncProfile> _profiles = new(StringComparer.OrdinalIgnoreCase);

    public Exception? FailAfterFirst { get; set; }

    public void Set(SyncProfile profile)
    {
        lock (_profiles)
        {
            _profiles[profile.TenantId] = profile;
        }
    }

    public void Remove(string tenantId)
    {
        lock (_profiles)
        {
            _profiles.Remove(tenantId);
        }
    }

    public ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        lock (_profiles)
        {
            return ValueTask.FromResult(_profiles.GetValueOrDefault(tenantId));
        }
    }

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<SyncProfile> all;
        lock (_profiles)
        {
            all = [.. _profiles.Values.OrderBy(p => p.TenantId, StringComparer.Ordinal)];
        }

        for (var i = 0; i < all.Count; i++)
        {
            if (i == 1 && FailAfterFirst is { } error)
            {
                throw error;
            }

            await Task.Yield();
            yield return all[i];
        }
    }
}
