using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Data;

/// <summary>The intranet's own tables (people, units, user types, memberships) plus EntraSync's state tables.</summary>
public sealed class IntranetDb(DbContextOptions<IntranetDb> options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();

    public DbSet<Unit> Units => Set<Unit>();

    public DbSet<UserType> UserTypes => Set<UserType>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<IntegrationSettings> Integrations => Set<IntegrationSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddEntraSyncState();   // checkpoints, run history, staged removals, leases
        modelBuilder.Entity<Person>(person =>
        {
            // The store needs (tenant, directory id) unique; local people have no directory id.
            person.HasIndex(p => new { p.TenantId, p.DirectoryId }).IsUnique();
            person.HasIndex(p => new { p.TenantId, p.NormalizedEmail });
            person.HasMany(p => p.Memberships).WithOne(m => m.Person).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Unit>().HasIndex(u => new { u.TenantId, u.Name }).IsUnique();
        modelBuilder.Entity<UserType>().HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
        modelBuilder.Entity<Membership>().HasIndex(m => new { m.PersonId, m.UnitId, m.UserTypeId }).IsUnique();
        modelBuilder.Entity<IntegrationSettings>().HasKey(s => s.TenantId);
    }
}
