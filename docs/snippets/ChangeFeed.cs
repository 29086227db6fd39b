// The C# blocks of docs/change-feed.md, compiled.
using EntraSync;
using EntraSync.ChangeFeed;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>Sends the welcome email once per new employee.</summary>
public sealed class WelcomeEmail(IMailer mailer, ISentWelcomes sent) : IEmployeeChangeHandler
{
    public string Name => "welcome-email";   // acknowledgements are kept under this name: keep it stable

    public async ValueTask HandleAsync(EmployeeChangeEvent change, CancellationToken cancellationToken = default)
    {
        if (change.Kind != EmployeeChangeKind.Create || change.Email is null)
        {
            return;
        }

        // At least once: after a crash between the send and the acknowledgement the event comes again.
        if (await sent.TryMarkAsync(change.TenantId, change.DirectoryId, cancellationToken))
        {
            var name = change.ChangedFields.FirstOrDefault(f => f.Field == FieldNames.FirstName)?.NewValue;
            await mailer.SendAsync(change.Email, $"Welcome, {name}!", cancellationToken);
        }
    }
}

public interface IMailer
{
    Task SendAsync(string to, string subject, CancellationToken cancellationToken);
}

/// <summary>Remembers who got the email (a unique key on tenant + directory id in your database).</summary>
public interface ISentWelcomes
{
    /// <returns><see langword="false"/> when the welcome was already sent.</returns>
    Task<bool> TryMarkAsync(string tenantId, string directoryId, CancellationToken cancellationToken);
}

public sealed class FeedDbContext(DbContextOptions<FeedDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeFeed();   // the outbox: EntraSyncChangeEventBatches, positions, acknowledgements
    }
}

public static class ChangeFeedSetup
{
    public static void InMemory(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
                .AddEmployeeChangeHandler<WelcomeEmail>();   // adds the change feed and its delivery loop
    }

    public static void WithOutbox(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddDbContextFactory<FeedDbContext>(o => o.UseNpgsql(connectionString));
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
                .AddEntityFrameworkCoreStore<FeedDbContext>()
                .AddEntityFrameworkCoreChangeFeed<FeedDbContext>()
                .AddChangeFeed(configuration.GetSection("EntraSync:ChangeFeed"))
                .AddEmployeeChangeHandler<WelcomeEmail>();
    }

    public static async Task ReplayAsync(IServiceProvider services, string tenantId)
    {
        var delivery = services.GetRequiredService<IEmployeeChangeDelivery>();
        await delivery.ReplayAsync(tenantId, "welcome-email", fromSequence: 1200);   // hand out 1200 and later again
        await delivery.DeliverAsync(tenantId);                                        // now, instead of at the next wake-up
    }

    public static async Task ReadItYourselfAsync(IEmployeeChangeFeed feed, string tenantId, long lastSeen)
    {
        foreach (var change in await feed.ReadChangesAsync(tenantId, afterSequence: lastSeen, maxCount: 500))
        {
            Console.WriteLine($"{change.Sequence}: {change.Kind} {change.DirectoryId} {string.Join(", ", change.ChangedFields)}");
        }
    }
}
