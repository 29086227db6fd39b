// The C# blocks of docs/efcore-store.md, compiled.
using EntraSync;
using EntraSync.EntityFrameworkCore;
using EntraSync.Testing;
using EntraSync.Testing.Conformance;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddSyncedEmployees();   // table SyncedEmployees (optional: your own entity instead, below)
        modelBuilder.AddEntraSyncState();    // checkpoints, run history, staged removals, tenant state, run leases
    }
}

public static class EfCoreStoreSetup
{
    public static void ReadyEntity(IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql(connectionString)); // or AddDbContext
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
                .AddEntityFrameworkCoreStore<AppDbContext>();
    }

    public static void OwnEntity(IServiceCollection services, IConfiguration configuration, ModelBuilder modelBuilder)
    {
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
            .AddEntityFrameworkCoreStore<AppDbContext, Person>(map =>
            {
                map.TenantId = p => p.CustomerKey;            // text
                map.DirectoryId = p => p.EntraObjectId;       // nullable text: null for people you created yourself
                map.Email = p => p.WorkEmail;
                map.NormalizedEmail = p => p.WorkEmailUpper;  // optional but recommended for large tenants (indexed)
                map.ContentHash = p => p.SyncHash;            // text(64)
                map.DeactivatedAt = p => p.LeftAt;            // DateTimeOffset?
                map.SyncedFields = p => p.SyncedFieldsJson;   // optional JSON column with every synced field
                map.Fields["First Name"] = p => p.GivenName;  // and/or fields written to your own columns
                map.Fields["Last Name"] = p => p.FamilyName;
                map.Fields["Job Title"] = p => p.Title;
                map.SyncedAssignment = p => p.SyncAssignmentJson; // optional: needed to remove only what sync assigned
                map.PhotoETag = p => p.PhotoETag;             // optional
                map.Photo = p => p.PhotoBytes;                // optional
                map.NewEmployee = tenant => new Person { CustomerKey = tenant, CreatedBy = "entra-sync" }; // optional
                map.OnChange = MembershipWriter.ApplyAsync;   // optional: your membership tables (below)
            });

        modelBuilder.Entity<Person>().HasIndex(p => new { p.CustomerKey, p.EntraObjectId }).IsUnique();
        modelBuilder.Entity<Person>().HasIndex(p => new { p.CustomerKey, p.WorkEmailUpper });
    }
}

public sealed class Person
{
    public int Id { get; set; }
    public string CustomerKey { get; set; } = "";
    public string? EntraObjectId { get; set; }
    public string? WorkEmail { get; set; }
    public string? WorkEmailUpper { get; set; }
    public string? SyncHash { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
    public string? SyncedFieldsJson { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? Title { get; set; }
    public string? SyncAssignmentJson { get; set; }
    public string? PhotoETag { get; set; }
    public byte[]? PhotoBytes { get; set; }
    public string? CreatedBy { get; set; }
}

public static class MembershipWriter
{
    internal static async ValueTask ApplyAsync(EmployeeChangeContext<Person> change, CancellationToken ct)
    {
        if (change.Employee is not { } person || change.Change.Record is not { } record) return; // removals: Employee is null
        var next = record.Assignment;
        var previous = change.Change.PreviousAssignment;
        // remove only what sync had assigned and no longer assigns; memberships added by hand stay
        // add what sync assigns now
    }
}

internal sealed class SqliteWriteAheadLog : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}

public static class SqliteWriteAheadLogSetup
{
    public static void Register(IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<AppDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteWriteAheadLog()));
    }
}
