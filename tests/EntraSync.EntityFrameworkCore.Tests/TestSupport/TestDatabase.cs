using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace EntraSync.EntityFrameworkCore.Tests.TestSupport;

/// <summary>A database of one provider for a test class: created on first use, removed at the end.</summary>
public abstract class TestDatabase : IAsyncLifetime
{
    private readonly HashSet<Type> _created = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public abstract string Provider { get; }

    /// <summary>Configures a context for this database; <paramref name="interceptors"/> see every command.</summary>
    public abstract void Configure(DbContextOptionsBuilder options, params IInterceptor[] interceptors);

    /// <summary>Makes sure the database exists with <typeparamref name="TContext"/>'s tables (skips or fails when the server is missing).</summary>
    public async Task EnsureCreatedAsync<TContext>(Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        await RequireServerAsync();
        await _gate.WaitAsync();
        try
        {
            if (!_created.Add(typeof(TContext)))
            {
                return;
            }

            await using var context = create(Options<TContext>());
            if (_created.Count == 1)
            {
                await context.Database.EnsureCreatedAsync();
            }
            else
            {
                // A second model in the same database: create its tables next to the first one's.
                var creator = (Microsoft.EntityFrameworkCore.Storage.RelationalDatabaseCreator)Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Storage.IDatabaseCreator>(context);
                await creator.CreateTablesAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public DbContextOptions<TContext> Options<TContext>(params IInterceptor[] interceptors)
        where TContext : DbContext
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        Configure(builder, interceptors);
        return builder.Options;
    }

    public virtual Task RequireServerAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();
}

/// <summary>A SQLite file database in a temp folder.</summary>
public sealed class SqliteDatabase : TestDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("entrasync-efcore-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "test.db");

    public override string Provider => "SQLite";

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 30 }.ToString();

    public override void Configure(DbContextOptionsBuilder options, params IInterceptor[] interceptors) =>
        options.UseSqlite(ConnectionString).AddInterceptors(interceptors);

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A database of its own on the PostgreSQL server in <c>ENTRASYNC_POSTGRES</c> (eng/postgres.sh starts one). Without a
/// server the tests fail on CI and report why they did not run elsewhere.
/// </summary>
public sealed class PostgresDatabase : TestDatabase
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres";

    private static readonly Lazy<Task<string?>> ServerProblem = new(FindServerProblemAsync);
    private readonly string _database = "entrasync_test_" + Guid.NewGuid().ToString("N")[..16];
    private bool _used;

    public static string ServerConnectionString => Environment.GetEnvironmentVariable("ENTRASYNC_POSTGRES") is { Length: > 0 } value ? value : DefaultConnectionString;

    public override string Provider => "PostgreSQL";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _database, Pooling = false }.ToString();

    public override void Configure(DbContextOptionsBuilder options, params IInterceptor[] interceptors)
    {
        _used = true;
        options.UseNpgsql(ConnectionString).AddInterceptors(interceptors);
    }

    public override async Task RequireServerAsync()
    {
        if (await ServerProblem.Value is not { } problem)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        var message = $"PostgreSQL is not reachable at {builder.Host}:{builder.Port} as {builder.Username} ({problem}). Run eng/postgres.sh (as root) or set ENTRASYNC_POSTGRES.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("The PostgreSQL tests must run on CI: " + message);
        }

        Skip.If(true, message);
    }

    public override async Task DisposeAsync()
    {
        if (!_used || await ServerProblem.Value is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string?> FindServerProblemAsync()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ToString());
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return ex.Message;
        }
    }
}
