using Microsoft.EntityFrameworkCore;

namespace EntraSync.Quartz.TestHost;

/// <summary>The fleet's shared database: employees and sync state (EF Core store); Quartz keeps its own tables beside them.</summary>
public sealed class FleetDbContext(DbContextOptions<FleetDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
    }
}
