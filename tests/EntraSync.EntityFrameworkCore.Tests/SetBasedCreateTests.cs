using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using EntraSync.Testing;
using EntraSync.Testing.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>
/// New employees are inserted set-based on SQLite and PostgreSQL, without EF Core's change tracker: written as EF Core
/// would write the host's own entity (its table, column names, database-generated key), and the keys known afterwards.
/// </summary>
public abstract class SetBasedCreateTests(TestDatabase database)
{
    private const string Table = "staff_members";

    private async Task<ServiceProvider> BuildAsync(StatementCounter statements, InMemoryDirectory directory, string tenant)
    {
        await database.EnsureCreatedAsync<StaffDbContext>(o => new StaffDbContext(o));
        var services = new ServiceCollection();
        services.AddDbContextFactory<StaffDbContext>(o => database.Configure(o, statements));
        services.AddEntraUserSync(o => o.Tenants.Add(new SyncProfile { TenantId = tenant }))
            .AddEntityFrameworkCoreStore<StaffDbContext, StaffMember>(map =>
            {
                map.TenantId = e => e.Customer;
                map.DirectoryId = e => e.EntraId;
                map.Email = e => e.Mail;
                map.NormalizedEmail = e => e.MailUpper;
                map.ContentHash = e => e.Hash;
                map.DeactivatedAt = e => e.LeftAt;
                map.Fields[FieldNames.FirstName] = e => e.Given;
                map.Fields[FieldNames.JobTitle] = e => e.Title;
                map.NewEmployee = t => new StaffMember { Customer = t, CreatedBy = "entra-sync" };
            })
            .AddEntityFrameworkCoreChangeFeed<StaffDbContext>()
            .AddChangeFeed();
        services.Replace(ServiceDescriptor.Singleton<IDirectorySource>(directory));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    [SkippableFact]
    public async Task A_host_entity_with_its_own_table_and_columns_gets_new_employees_with_database_keys_the_feed_knows()
    {
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        var directory = new InMemoryDirectory { PageSize = 999 };
        for (var i = 0; i < 1_200; i++)
        {
            directory.Upsert(tenant, EngineHarness.UserId(i), new Dictionary<string, object?>
            {
                ["displayName"] = $"User {i}",
                ["givenName"] = "User " + i,
                ["surname"] = "Lee",
                ["mail"] = $"user{i}@{tenant}.example",
                ["jobTitle"] = "Consultant",
            });
        }

        var statements = new StatementCounter();
        await using var services = await BuildAsync(statements, directory, tenant);

        var report = await services.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(1_200, report.Counts.Created);
        Assert.Equal(0, statements.Count("INSERT", Table)); // not through EF Core's change tracker
        await using var context = new StaffDbContext(database.Options<StaffDbContext>());
        var staff = await context.Staff.AsNoTracking().Where(s => s.Customer == tenant).ToListAsync();
        Assert.Equal(1_200, staff.Count);
        Assert.All(staff, s => Assert.True(s.Number > 0));
        var seven = staff.Single(s => s.EntraId == EngineHarness.UserId(7));
        Assert.Equal(("User 7", "Consultant", $"user7@{tenant}.example", $"USER7@{tenant.ToUpperInvariant()}.EXAMPLE", "entra-sync"), (seven.Given, seven.Title, seven.Mail, seven.MailUpper, seven.CreatedBy));
        Assert.Null(seven.Notes);
        Assert.Null(seven.LeftAt);

        // The feed's events carry the keys the database generated.
        var events = await services.GetRequiredService<IEmployeeChangeFeed>().ReadChangesAsync(tenant, 0, 2_000);
        Assert.Equal(1_200, events.Count);
        Assert.Equal(
            staff.OrderBy(s => s.EntraId, StringComparer.Ordinal).Select(s => (s.EntraId, s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            events.OrderBy(e => e.DirectoryId, StringComparer.Ordinal).Select(e => ((string?)e.DirectoryId, e.EmployeeKey!)));

        // A rerun writes nothing; a changed user is updated in place.
        directory.Upsert(tenant, EngineHarness.UserId(7), new Dictionary<string, object?> { ["displayName"] = "User 7", ["givenName"] = "Seven", ["surname"] = "Lee", ["mail"] = $"user7@{tenant}.example", ["jobTitle"] = "Partner" });
        var next = await services.GetRequiredService<IEntraUserSync>().SyncAsync(tenant, new SyncRunOptions { Mode = SyncMode.Full });
        Assert.Equal((SyncOutcome.Succeeded, 1, 0), (next.Outcome, next.Counts.Updated, next.Counts.Created));
        context.ChangeTracker.Clear();
        var updated = await context.Staff.AsNoTracking().SingleAsync(s => s.Customer == tenant && s.EntraId == EngineHarness.UserId(7));
        Assert.Equal((seven.Number, "Seven", "Partner"), (updated.Number, updated.Given, updated.Title));
    }
}

public sealed class SqliteSetBasedCreateTests(SqliteDatabase database) : SetBasedCreateTests(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresSetBasedCreateTests(PostgresDatabase database) : SetBasedCreateTests(database), IClassFixture<PostgresDatabase>;

/// <summary>The ready-made entity on both paths (set-based on SQLite and PostgreSQL, and EF Core's tracked path).</summary>
public abstract class SetBasedCreateEdgeTests(TestDatabase database)
{
    [SkippableFact]
    public async Task Two_creates_for_the_same_directory_user_in_one_batch_make_one_employee_with_the_second_content()
    {
        foreach (var tracked in new[] { false, true })
        {
            await using var target = await EfTarget.CreateAsync(database, tracked);
            var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
            var generation = (await target.State.TryAcquireLeaseAsync(tenant, "twice", TimeSpan.FromMinutes(5))).Lease!.Generation;

            await target.Employees.ApplyAsync(tenant, [EmployeeStoreConformance.NewCreate("d-1", "ann@contoso.com"), EmployeeStoreConformance.NewCreate("d-2", "bo@contoso.com"), EmployeeStoreConformance.NewCreate("d-1", "ann@contoso.com", firstName: "Anna")], generation);

            await using var context = new TestDbContext(database.Options<TestDbContext>());
            var employees = await context.Employees.AsNoTracking().Where(e => e.TenantId == tenant).OrderBy(e => e.DirectoryId).ToListAsync();
            Assert.Equal(["d-1", "d-2"], employees.Select(e => e.DirectoryId));
            Assert.Equal("Anna", employees[0].GetField(FieldNames.FirstName));
        }
    }

    /// <summary>
    /// Set-based, only the first row's parameters are created by the type mappings; later rows reuse them with new
    /// values. Every row must still be stored exactly as EF Core's tracked path stores it: same columns, same stored
    /// text (the key's and the fields' formats included), read back raw from the database.
    /// </summary>
    [SkippableFact]
    public async Task Rows_written_set_based_are_stored_exactly_as_the_tracked_path_stores_them()
    {
        var stored = new List<List<string?>>();
        foreach (var tracked in new[] { true, false })
        {
            await using var target = await EfTarget.CreateAsync(database, tracked);
            var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
            var generation = (await target.State.TryAcquireLeaseAsync(tenant, "same", TimeSpan.FromMinutes(5))).Lease!.Generation;
            await target.Employees.ApplyAsync(tenant, [EmployeeStoreConformance.NewCreate("d-1", "Ann@Contoso.com", unit: "Sales"), EmployeeStoreConformance.NewCreate("d-2", null, firstName: "Bo"), EmployeeStoreConformance.NewCreate("d-3", "cy@contoso.com", firstName: "Cy \"the\" Ünïcode")], generation);

            await using var context = new TestDbContext(database.Options<TestDbContext>());
            var connection = context.Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM \"SyncedEmployees\" WHERE \"TenantId\" = '" + tenant + "' ORDER BY \"DirectoryId\"";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                var keyText = reader.GetValue(reader.GetOrdinal("Id")).ToString()!;
                var row = new List<string?> { $"key {keyText.Length} chars, {(keyText == keyText.ToUpperInvariant() ? "upper" : "lower")} case" };
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var name = reader.GetName(i);
                    if (name is not ("Id" or "TenantId"))
                    {
                        row.Add($"{name} = {(reader.IsDBNull(i) ? "null" : reader.GetFieldType(i).Name + " " + Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}");
                    }
                }

                stored.Add(row);
            }

            Assert.Equal(3, rows);
        }

        // Tracked rows first, then set-based: row i of one equals row i of the other.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(stored[i], stored[i + 3]);
        }
    }

    [SkippableFact]
    public async Task A_batch_of_5000_new_employees_is_written_in_full_with_a_key_each()
    {
        await using var target = await EfTarget.CreateAsync(database);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        var generation = (await target.State.TryAcquireLeaseAsync(tenant, "big", TimeSpan.FromMinutes(5))).Lease!.Generation;
        var creates = Enumerable.Range(0, 5_000).Select(i => EmployeeStoreConformance.NewCreate($"d-{i:D5}", $"user{i}@contoso.com", $"User {i}")).ToList();

        await target.Employees.ApplyAsync(tenant, creates, generation);

        var found = await target.Employees.FindAsync(tenant, creates.Select(c => c.DirectoryId).ToList(), []);
        Assert.Equal(5_000, found.Count);
        Assert.Equal(5_000, found.Select(e => e.Key).Distinct().Count());
        Assert.Equal("User 4321", found.Single(e => e.DirectoryId == "d-04321").Fields[FieldNames.FirstName]);
    }
}

public sealed class SqliteSetBasedCreateEdgeTests(SqliteDatabase database) : SetBasedCreateEdgeTests(database), IClassFixture<SqliteDatabase>
{
    /// <summary>The write path raises SQLite's page cache from its 2 MB default to 32 MB, and leaves a host's own setting alone.</summary>
    [Theory]
    [InlineData(null, -32_768L)]
    [InlineData(-4_000L, -4_000L)]
    [InlineData(-2_048L, -2_048L)]
    public async Task A_batch_of_creates_raises_the_default_page_cache_and_keeps_a_host_setting(long? hostSetting, long expected)
    {
        var cache = new PageCacheProbe(hostSetting);
        await using var target = await EfTarget.CreateAsync(database, trackedWrites: false, cache);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        var generation = (await target.State.TryAcquireLeaseAsync(tenant, "cache", TimeSpan.FromMinutes(5))).Lease!.Generation;
        cache.Seen.Clear();

        await target.Employees.ApplyAsync(tenant, [EmployeeStoreConformance.NewCreate("d-1", "ann@contoso.com")], generation);

        Assert.Contains(expected, cache.Seen);
        Assert.DoesNotContain(cache.Seen, s => s != expected && s != (hostSetting ?? -2_000L));
    }

    /// <summary>Sets the host's cache size when a connection opens; records it when the connection closes.</summary>
    private sealed class PageCacheProbe(long? hostSetting) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        public System.Collections.Concurrent.ConcurrentBag<long> Seen { get; } = [];

        public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (hostSetting is { } pages)
            {
                Run(connection, $"PRAGMA cache_size = {pages}");
            }

            return Task.CompletedTask;
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> ConnectionClosingAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
        {
            Seen.Add((long)Run(connection, "PRAGMA cache_size")!);
            return ValueTask.FromResult(result);
        }

        private static object? Run(System.Data.Common.DbConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
    }
}

public sealed class PostgresSetBasedCreateEdgeTests(PostgresDatabase database) : SetBasedCreateEdgeTests(database), IClassFixture<PostgresDatabase>
{
    /// <summary>
    /// A host inserts the same directory user after the batch began and before its insert (PostgreSQL's read committed
    /// allows it; SQLite's write lock does not): the insert adds nothing, the batch is retried and repairs the host's row.
    /// The host's insert runs at the batch's first statement (its lease fence): the set-based first attempt does not
    /// read the employees it creates, its INSERT ... ON CONFLICT DO NOTHING finds the host's row.
    /// </summary>
    [SkippableFact]
    public async Task A_create_racing_a_host_insert_of_the_same_directory_user_repairs_that_row_instead_of_failing()
    {
        var statements = new StatementCounter();
        await using var target = await EfTarget.CreateAsync(database, statements);
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..10];
        var generation = (await target.State.TryAcquireLeaseAsync(tenant, "race", TimeSpan.FromMinutes(5))).Lease!.Generation;
        Guid hostKey = default;
        statements.FailWhen = sql =>
        {
            if (hostKey == default)
            {
                using var host = new TestDbContext(database.Options<TestDbContext>());
                var employee = new SyncedEmployee { TenantId = tenant, DirectoryId = "d-race", Email = "typed-by-hand@contoso.com" };
                host.Employees.Add(employee);
                host.SaveChanges();
                hostKey = employee.Id;
            }

            return null;
        };

        await target.Employees.ApplyAsync(tenant, [EmployeeStoreConformance.NewCreate("d-race", "ann@contoso.com"), EmployeeStoreConformance.NewCreate("d-other", "bo@contoso.com")], generation);

        Assert.NotEqual(default, hostKey);
        await using var context = new TestDbContext(database.Options<TestDbContext>());
        var employees = await context.Employees.AsNoTracking().Where(e => e.TenantId == tenant).ToListAsync();
        Assert.Equal(2, employees.Count);
        var raced = employees.Single(e => e.DirectoryId == "d-race");
        Assert.Equal((hostKey, "ann@contoso.com"), (raced.Id, raced.Email));
    }
}

/// <summary>The conformance suite over EF Core's tracked path, which providers other than SQLite and PostgreSQL use.</summary>
public sealed class SqliteTrackedWritesConformanceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Theory]
    [MemberData(nameof(ConformanceData.EmployeeCases), MemberType = typeof(ConformanceData))]
    public async Task Employee_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database, trackedWrites: true);
        await EmployeeStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }
}

public sealed class PostgresTrackedWritesConformanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [SkippableTheory]
    [MemberData(nameof(ConformanceData.EmployeeCases), MemberType = typeof(ConformanceData))]
    public async Task Employee_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database, trackedWrites: true);
        await EmployeeStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }
}

public sealed class StaffDbContext(DbContextOptions<StaffDbContext> options) : DbContext(options)
{
    public DbSet<StaffMember> Staff => Set<StaffMember>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StaffMember>(b =>
        {
            b.ToTable("staff_members");
            b.HasKey(e => e.Number);
            b.Property(e => e.Number).HasColumnName("staff_no");
            b.Property(e => e.Customer).HasColumnName("customer_key").HasMaxLength(64);
            b.Property(e => e.EntraId).HasColumnName("entra_oid").HasMaxLength(64);
            b.Property(e => e.Mail).HasColumnName("work_mail");
            b.Property(e => e.MailUpper).HasColumnName("work_mail_upper");
            b.Property(e => e.Given).HasColumnName("given_name");
            b.Property(e => e.Title).HasColumnName("job_title");
            b.Property(e => e.Hash).HasColumnName("sync_hash");
            b.Property(e => e.LeftAt).HasColumnName("left_at");
            b.Property(e => e.CreatedBy).HasColumnName("created_by");
            b.Property(e => e.Notes).HasColumnName("notes");
            b.HasIndex(e => new { e.Customer, e.EntraId }).IsUnique();
            b.HasIndex(e => new { e.Customer, e.MailUpper });
        });
        modelBuilder.AddEntraSyncState();
        modelBuilder.AddEntraSyncChangeFeed();
    }
}

public sealed class StaffMember
{
    public long Number { get; set; }

    public string Customer { get; set; } = "";

    public string? EntraId { get; set; }

    public string? Mail { get; set; }

    public string? MailUpper { get; set; }

    public string? Given { get; set; }

    public string? Title { get; set; }

    public string? Hash { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public string? CreatedBy { get; set; }

    public string? Notes { get; set; }
}
