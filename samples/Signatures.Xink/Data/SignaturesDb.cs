using EntraSync.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Signatures.Xink.Data;

/// <summary>The product's database: EntraSync's ready-made employee table and state tables, plus the product's own settings.</summary>
public sealed class SignaturesDb(DbContextOptions<SignaturesDb> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    public DbSet<IntegrationSettings> Integrations => Set<IntegrationSettings>();

    public DbSet<FieldSetting> Fields => Set<FieldSetting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();     // the employees sync writes (EntraSync.EntityFrameworkCore)
        modelBuilder.AddEntraSyncState();      // checkpoints, run history, staged removals, leases
        modelBuilder.Entity<IntegrationSettings>().HasKey(s => s.AccountId);
        modelBuilder.Entity<FieldSetting>().HasIndex(f => new { f.AccountId, f.Position });
    }
}
