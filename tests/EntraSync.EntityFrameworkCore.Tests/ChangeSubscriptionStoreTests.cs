using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>The EF Core change-subscription store on real SQLite and PostgreSQL.</summary>
public abstract class ChangeSubscriptionStoreTests(TestDatabase database)
{
    [SkippableFact]
    public async Task A_subscription_is_kept_found_by_its_id_replaced_per_tenant_and_removed()
    {
        await database.EnsureCreatedAsync<SubscriptionDbContext>(o => new SubscriptionDbContext(o));
        var services = new ServiceCollection();
        services.AddDbContext<SubscriptionDbContext>(o => database.Configure(o));
        services.AddEntraUserSync().AddEntityFrameworkCoreChangeSubscriptionStore<SubscriptionDbContext>();
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IChangeSubscriptionStore>();
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        var other = "t-" + Guid.NewGuid().ToString("N")[..10];
        var expires = new DateTimeOffset(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);

        await store.SaveAsync(Subscription(tenant, "s1-" + tenant, expires));
        await store.SaveAsync(Subscription(other, "s1-" + other, expires));
        await store.SaveAsync(Subscription(tenant, "s2-" + tenant, expires.AddDays(1)));

        var kept = await store.GetAsync(tenant);
        Assert.NotNull(kept);
        Assert.Equal("s2-" + tenant, kept.SubscriptionId);
        Assert.Equal(expires.AddDays(1), kept.ExpiresAt);
        Assert.Equal(new string('c', 64), kept.ClientState);
        Assert.Equal("https://app.example.com/n/lifecycle", kept.LifecycleNotificationUrl);
        Assert.Equal(tenant, (await store.FindAsync("s2-" + tenant))?.TenantId);
        Assert.Null(await store.FindAsync("s1-" + tenant));
        var all = new List<ChangeSubscription>();
        await foreach (var s in store.ListAsync())
        {
            all.Add(s);
        }

        Assert.Contains(all, s => s.TenantId == tenant);
        Assert.Contains(all, s => s.TenantId == other);

        Assert.True(await store.RemoveAsync(tenant));
        Assert.False(await store.RemoveAsync(tenant));
        Assert.Null(await store.GetAsync(tenant));
        Assert.NotNull(await store.GetAsync(other));
    }

    private static ChangeSubscription Subscription(string tenant, string id, DateTimeOffset expires) => new()
    {
        TenantId = tenant,
        SubscriptionId = id,
        NotificationUrl = "https://app.example.com/n",
        LifecycleNotificationUrl = "https://app.example.com/n/lifecycle",
        ClientState = new string('c', 64),
        ExpiresAt = expires,
        RenewedAt = expires.AddDays(-29),
    };
}

public sealed class SqliteChangeSubscriptionStoreTests(SqliteDatabase database) : ChangeSubscriptionStoreTests(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresChangeSubscriptionStoreTests(PostgresDatabase database) : ChangeSubscriptionStoreTests(database), IClassFixture<PostgresDatabase>;

public sealed class SubscriptionDbContext(DbContextOptions<SubscriptionDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddEntraSyncChangeSubscriptions();
}
