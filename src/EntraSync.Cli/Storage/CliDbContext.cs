using EntraSync.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.Cli.Storage;

/// <summary>The tool's SQLite database: the ready-made employee table, EntraSync's state tables and the change-notification subscriptions.</summary>
internal sealed class CliDbContext(DbContextOptions<CliDbContext> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeSubscriptions();   // read by 'check' when a host keeps its subscriptions here
    }
}
