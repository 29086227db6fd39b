using EntraSync.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the change-notification subscription table to your model.</summary>
public static class ChangeSubscriptionModelBuilderExtensions
{
    /// <summary>
    /// Adds <c>EntraSyncChangeSubscriptions</c> (one row per tenant, with a unique index on the subscription id) for
    /// <c>AddEntityFrameworkCoreChangeSubscriptionStore</c>. Call from <c>OnModelCreating</c>, then add a migration.
    /// </summary>
    /// <param name="modelBuilder">The model builder.</param>
    /// <param name="schema">The schema, or <see langword="null"/> for the default schema.</param>
    /// <returns>The model builder.</returns>
    public static ModelBuilder AddEntraSyncChangeSubscriptions(this ModelBuilder modelBuilder, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<ChangeSubscriptionEntry>(b =>
        {
            b.ToTable("EntraSyncChangeSubscriptions", schema);
            b.HasKey(s => s.TenantId);
            b.Property(s => s.TenantId).HasMaxLength(128);
            b.Property(s => s.SubscriptionId).HasMaxLength(128).IsRequired();
            b.Property(s => s.Resource).HasMaxLength(256).IsRequired();
            b.Property(s => s.ChangeType).HasMaxLength(64).IsRequired();
            b.Property(s => s.NotificationUrl).HasMaxLength(2048).IsRequired();
            b.Property(s => s.LifecycleNotificationUrl).HasMaxLength(2048);
            b.Property(s => s.ClientState).HasMaxLength(128).IsRequired();
            b.HasIndex(s => s.SubscriptionId).IsUnique();
        });
        return modelBuilder;
    }
}
