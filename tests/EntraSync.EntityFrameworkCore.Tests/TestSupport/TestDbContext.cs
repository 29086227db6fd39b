using EntraSync.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.Tests.TestSupport;

/// <summary>A host context using the ready-made employee entity.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<SyncedEmployee> Employees => Set<SyncedEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();
        modelBuilder.AddEntraSyncState();
    }
}

/// <summary>A host product with its own employee table, its own int key and its own membership table.</summary>
public sealed class HostDbContext(DbContextOptions<HostDbContext> options) : DbContext(options)
{
    public DbSet<HostEmployee> People => Set<HostEmployee>();

    public DbSet<HostMembership> Memberships => Set<HostMembership>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HostEmployee>(b =>
        {
            b.ToTable("People");
            b.HasKey(e => e.PersonId);
            b.Property(e => e.CustomerKey).HasMaxLength(64).IsRequired();
            b.Property(e => e.EntraObjectId).HasMaxLength(64);
            b.HasIndex(e => new { e.CustomerKey, e.EntraObjectId }).IsUnique();
            b.HasMany(e => e.Memberships).WithOne().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<HostMembership>(b =>
        {
            b.ToTable("Memberships");
            b.HasKey(m => m.Id);
        });
        modelBuilder.AddEntraSyncState();
    }
}

public sealed class HostEmployee
{
    public int PersonId { get; set; }

    public string CustomerKey { get; set; } = "";

    public string? EntraObjectId { get; set; }

    public string? WorkEmail { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public string? Title { get; set; }

    public string? Notes { get; set; }

    public string? SyncHash { get; set; }

    public string? SyncAssignment { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public bool IsVip { get; set; }

    public List<HostMembership> Memberships { get; set; } = [];
}

public sealed class HostMembership
{
    public int Id { get; set; }

    public int PersonId { get; set; }

    public string Unit { get; set; } = "";

    public string UserType { get; set; } = "";

    public bool AddedByHand { get; set; }
}
