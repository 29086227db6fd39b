using EntraSync.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the change feed's outbox tables to your model. Call from <c>OnModelCreating</c>, then add a migration.</summary>
public static class ChangeFeedModelBuilderExtensions
{
    private const int TenantLength = 128;
    private const int IdLength = 64;

    /// <summary>
    /// Adds the change feed's tables: <c>EntraSyncChangeEventBatches</c> (the outbox the EF Core employee store writes in
    /// the transaction of each batch, one row per batch), <c>EntraSyncChangeFeedPositions</c> and
    /// <c>EntraSyncChangeFeedAcknowledgements</c>.
    /// Use with <c>AddEntityFrameworkCoreChangeFeed&lt;TContext&gt;()</c>.
    /// </summary>
    /// <param name="modelBuilder">The model builder.</param>
    /// <param name="schema">The schema for the tables, or <see langword="null"/> for the default schema.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder AddEntraSyncChangeFeed(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ChangeEventBatchEntry>(b =>
        {
            b.ToTable("EntraSyncChangeEventBatches", schema);
            b.HasKey(e => new { e.TenantId, e.FirstSequence });
            b.Property(e => e.FirstSequence).ValueGeneratedNever();
            b.Property(e => e.TenantId).HasMaxLength(TenantLength);
            b.Property(e => e.RunId).HasMaxLength(IdLength).IsRequired();
            b.Property(e => e.Events).IsRequired();
            b.HasIndex(e => new { e.TenantId, e.LastSequence });
        });
        modelBuilder.Entity<ChangeFeedPositionEntry>(b =>
        {
            b.ToTable("EntraSyncChangeFeedPositions", schema);
            b.HasKey(p => p.TenantId);
            b.Property(p => p.TenantId).HasMaxLength(TenantLength);
        });
        modelBuilder.Entity<ChangeFeedAcknowledgementEntry>(b =>
        {
            b.ToTable("EntraSyncChangeFeedAcknowledgements", schema);
            b.HasKey(a => new { a.TenantId, a.Handler });
            b.Property(a => a.TenantId).HasMaxLength(TenantLength);
            b.Property(a => a.Handler).HasMaxLength(256);
        });
        return modelBuilder;
    }
}
