using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EntraSync.EntityFrameworkCore.Tests.Migrations;

/// <summary>
/// The sample host context the committed migration (Migrations/Sample) was generated for, the way docs/efcore-store.md
/// tells a host to: the ready-made employee entity, the sync state tables and the change feed's outbox, added in OnModelCreating. Regenerate with
/// <c>dotnet ef migrations add &lt;Name&gt; --project tests/EntraSync.EntityFrameworkCore.Tests --context SampleDbContext --output-dir Migrations/Sample</c>.
/// </summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeFeed();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the sample context without a host (SQLite: the migration's provider).</summary>
public sealed class SampleDbContextFactory : IDesignTimeDbContextFactory<SampleDbContext>
{
    public SampleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SampleDbContext>().UseSqlite("Data Source=sample.db").Options);
}
