using EntraSync.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds EntraSync's tables to your model. Call from <c>OnModelCreating</c>, then add a migration.</summary>
public static class EntraSyncModelBuilderExtensions
{
    private const int TenantLength = 128;
    private const int IdLength = 64;

    /// <summary>
    /// Adds the sync state tables: <c>EntraSyncCheckpoints</c>, <c>EntraSyncRuns</c>, <c>EntraSyncStagedRemovals</c>,
    /// <c>EntraSyncTenantStates</c> and <c>EntraSyncRunLeases</c>.
    /// </summary>
    /// <param name="modelBuilder">The model builder.</param>
    /// <param name="schema">The schema for the tables, or <see langword="null"/> for the default schema.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder AddEntraSyncState(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<SyncCheckpointEntry>(b =>
        {
            b.ToTable("EntraSyncCheckpoints", schema);
            b.HasKey(c => c.TenantId);
            b.Property(c => c.TenantId).HasMaxLength(TenantLength);
            b.Property(c => c.Value).IsRequired();
            b.Property(c => c.Fingerprint).HasMaxLength(IdLength * 2);
        });
        modelBuilder.Entity<SyncRunEntry>(b =>
        {
            b.ToTable("EntraSyncRuns", schema);
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedOnAdd();
            b.Property(r => r.TenantId).HasMaxLength(TenantLength).IsRequired();
            b.Property(r => r.RunId).HasMaxLength(IdLength).IsRequired();
            b.Property(r => r.Outcome).HasMaxLength(32).IsRequired();
            b.Property(r => r.Report).IsRequired();
            b.HasIndex(r => new { r.TenantId, r.Id });
        });
        modelBuilder.Entity<StagedRemovalsEntry>(b =>
        {
            b.ToTable("EntraSyncStagedRemovals", schema);
            b.HasKey(s => s.Id);
            b.Property(s => s.Id).HasMaxLength(IdLength);
            b.Property(s => s.TenantId).HasMaxLength(TenantLength).IsRequired();
            b.Property(s => s.RunId).HasMaxLength(IdLength).IsRequired();
            b.Property(s => s.Status).HasMaxLength(32).IsRequired();
            b.Property(s => s.DecidedBy).HasMaxLength(256);
            b.Property(s => s.Removals).IsRequired();
            b.HasIndex(s => s.TenantId);
        });
        modelBuilder.Entity<TenantSyncStateEntry>(b =>
        {
            b.ToTable("EntraSyncTenantStates", schema);
            b.HasKey(s => s.TenantId);
            b.Property(s => s.TenantId).HasMaxLength(TenantLength);
            b.Property(s => s.LastFailureKind).HasMaxLength(IdLength);
            b.Property(s => s.ProfileVersion).HasMaxLength(IdLength * 2);
        });
        modelBuilder.Entity<SyncRunLeaseEntry>(b =>
        {
            b.ToTable("EntraSyncRunLeases", schema);
            b.HasKey(l => l.TenantId);
            b.Property(l => l.TenantId).HasMaxLength(TenantLength);
            b.Property(l => l.Owner).HasMaxLength(IdLength);
        });
        return modelBuilder;
    }

    /// <summary>
    /// Adds the ready-made <see cref="SyncedEmployee"/> entity, with a unique index on (tenant, directory id) and an
    /// index on (tenant, normalized email).
    /// </summary>
    /// <param name="modelBuilder">The model builder.</param>
    /// <param name="table">The table name.</param>
    /// <param name="schema">The schema, or <see langword="null"/> for the default schema.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder AddSyncedEmployees(this ModelBuilder modelBuilder, string table = "SyncedEmployees", string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        modelBuilder.Entity<SyncedEmployee>(b =>
        {
            b.ToTable(table, schema);
            b.HasKey(e => e.Id);
            b.Property(e => e.Id).ValueGeneratedOnAdd();
            b.Property(e => e.TenantId).HasMaxLength(TenantLength).IsRequired();
            b.Property(e => e.DirectoryId).HasMaxLength(IdLength);
            b.Property(e => e.Email).HasMaxLength(320);
            b.Property(e => e.NormalizedEmail).HasMaxLength(320);
            b.Property(e => e.ContentHash).HasMaxLength(IdLength);
            b.Property(e => e.PhotoETag).HasMaxLength(256);
            b.Property(e => e.Version).IsConcurrencyToken();

            // SQL Server filters unique indexes on nullable columns (IS NOT NULL), so local employees may share the null.
            b.HasIndex(e => new { e.TenantId, e.DirectoryId }).IsUnique();
            b.HasIndex(e => new { e.TenantId, e.NormalizedEmail });
        });
        return modelBuilder;
    }
}
