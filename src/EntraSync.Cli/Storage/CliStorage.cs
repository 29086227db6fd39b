using System.Text.Json;
using EntraSync.Cli.Output;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.Cli.Storage;

/// <summary>Where the tool keeps employees and sync state: SQLite through the EF Core store, in the <c>--db</c> file.</summary>
internal static class CliStorage
{
    public static void Register(IEntraSyncBuilder builder, string dbPath)
    {
        builder.Services.AddDbContextFactory<CliDbContext>(o => o.UseSqlite(ConnectionString(dbPath)));
        builder.AddEntityFrameworkCoreStore<CliDbContext>();

        // Change notifications are the host's business; the tool only reads a subscription a host kept in this database
        // ('check'). Without the table (no file yet, or one made before the table existed) the store is in memory and empty.
        builder.AddChangeNotifications();
        if (HasTable(dbPath, "EntraSyncChangeSubscriptions"))
        {
            builder.AddEntityFrameworkCoreChangeSubscriptionStore<CliDbContext>();
        }
    }

    /// <summary>Whether the database file exists and has the table (never creates the file).</summary>
    internal static bool HasTable(string dbPath, string table)
    {
        if (!File.Exists(dbPath))
        {
            return false;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.AddWithValue("$name", table);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            return false;   // not a database: the commands that use it say so
        }
    }

    /// <summary>Creates the database and its tables when the file does not exist yet.</summary>
    public static async Task EnsureCreatedAsync(IServiceProvider services, string dbPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(dbPath);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw CliException.Usage($"The folder of the database '{dbPath}' does not exist.", "Create the folder, or pass another --db path.");
        }

        var factory = services.GetRequiredService<IDbContextFactory<CliDbContext>>();
        await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await context.Database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            // A file that exists but was not made by this tool has none of our tables: say so now, not mid-run.
            _ = await context.Employees.AnyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw NotOurs(dbPath, ex);
        }
    }

    /// <summary>Throws when the database file does not exist (commands that only read it never create it).</summary>
    public static void RequireExisting(string dbPath)
    {
        if (!File.Exists(dbPath))
        {
            throw CliException.Failure($"There is no database at '{dbPath}' yet.", "Run 'entrasync sync' first, or pass --db with the path of an existing database.");
        }
    }

    /// <summary>Lists the tenants the database holds anything for (employees or runs), with their employee counts.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ListTenantsAsync(string dbPath, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<CliDbContext>().UseSqlite(ConnectionString(dbPath)).Options;
        await using var context = new CliDbContext(options);
        try
        {
            var counts = await context.Employees.AsNoTracking().GroupBy(e => e.TenantId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var withRuns = await context.Set<EntityFrameworkCore.SyncRunEntry>().AsNoTracking().Select(r => r.TenantId).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
            var tenants = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var tenant in withRuns)
            {
                tenants[tenant] = 0;
            }

            foreach (var count in counts)
            {
                tenants[count.Key] = count.Count;
            }

            return tenants;
        }
        catch (SqliteException ex)
        {
            throw NotOurs(dbPath, ex);
        }
    }

    /// <summary>Lists the employees the store holds for the tenant, ordered by display name.</summary>
    public static async Task<IReadOnlyList<EmployeeInfo>> ListEmployeesAsync(IServiceProvider services, string tenantId, string dbPath, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<CliDbContext>>();
        await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        List<EntityFrameworkCore.SyncedEmployee> rows;
        try
        {
            rows = await context.Employees.AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw NotOurs(dbPath, ex);
        }

        return rows
            .Select(e =>
            {
                var fields = ReadFields(e.Fields);
                var assignment = e.GetAssignment();
                return new EmployeeInfo(
                    e.DirectoryId,
                    e.Email,
                    fields.GetValueOrDefault(FieldNames.FirstName),
                    fields.GetValueOrDefault(FieldNames.LastName),
                    fields.GetValueOrDefault(FieldNames.DisplayName),
                    fields,
                    e.DeactivatedAt is null ? "active" : "deactivated",
                    e.DeactivatedAt,
                    assignment.Unit,
                    assignment.UserTypes);
            })
            .OrderBy(e => e.DisplayName ?? e.Email, StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Releases the database file (SQLite pools connections; tests delete their folders afterwards).</summary>
    public static void Release()
    {
        SqliteConnection.ClearAllPools();
    }

    private static string ConnectionString(string dbPath) =>
        new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    private static CliException NotOurs(string dbPath, SqliteException ex) => ex.SqliteErrorCode is 26 or 11 // NOTADB, CORRUPT
        ? CliException.Failure(
            $"The database '{dbPath}' is damaged or is not an entrasync database (SQLite says: {ex.Message.Split(": ", 2)[^1].Trim('\'', '.')}).",
            "Restore the file from a backup, or delete it (or pass another --db path) to start over: the next 'entrasync sync' reads the directory again and links everyone.",
            ex)
        : CliException.Failure(
        $"The database '{dbPath}' could not be used: {ex.Message}",
        ex.SqliteErrorCode is 14 or 8 or 23 // CANTOPEN, READONLY, AUTH
            ? "Check that the folder exists and you may write to it, or pass another --db path."
            : "If the file was not made by this version of entrasync, pass another --db path (or delete the file to start over).",
        ex);

    private static Dictionary<string, string?> ReadFields(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
