using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using EntraSync.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>The store over a host's own entity: its table, int key, columns and membership table.</summary>
public sealed class HostEntityTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    private const string Tenant = "acme";

    private static IEntraSyncBuilder AddHostStore(IEntraSyncBuilder builder) =>
        builder.AddEntityFrameworkCoreStore<HostDbContext, HostEmployee>(map =>
        {
            map.TenantId = e => e.CustomerKey;
            map.DirectoryId = e => e.EntraObjectId;
            map.Email = e => e.WorkEmail;
            map.ContentHash = e => e.SyncHash;
            map.DeactivatedAt = e => e.LeftAt;
            map.SyncedAssignment = e => e.SyncAssignment;
            map.Fields[FieldNames.FirstName] = e => e.GivenName;
            map.Fields[FieldNames.LastName] = e => e.FamilyName;
            map.Fields[FieldNames.JobTitle] = e => e.Title;
            map.OnChange = ApplyMembershipsAsync;
        });

    // The host's own membership table: add what sync assigns, remove only what sync had assigned and no longer does.
    private static async ValueTask ApplyMembershipsAsync(EmployeeChangeContext<HostEmployee> change, CancellationToken cancellationToken)
    {
        if (change.Employee is not { } person || change.Change.Record is not { } record)
        {
            return;
        }

        var context = (HostDbContext)change.Context;
        if (person.PersonId != 0)
        {
            await context.Entry(person).Collection(p => p.Memberships).LoadAsync(cancellationToken);
        }

        var next = record.Assignment;
        var previous = change.Change.PreviousAssignment;
        foreach (var type in previous.UserTypes)
        {
            var stillAssigned = next.Unit == previous.Unit && next.UserTypes.Contains(type);
            var row = person.Memberships.FirstOrDefault(m => m.Unit == previous.Unit && m.UserType == type && !m.AddedByHand);
            if (!stillAssigned && row is not null)
            {
                person.Memberships.Remove(row);
                context.Memberships.Remove(row);
            }
        }

        foreach (var type in next.UserTypes)
        {
            if (next.Unit is not null && !person.Memberships.Any(m => m.Unit == next.Unit && m.UserType == type))
            {
                person.Memberships.Add(new HostMembership { Unit = next.Unit, UserType = type });
            }
        }
    }

    private async Task<(ServiceProvider Services, IEmployeeStore Store)> CreateAsync(Action<IServiceCollection>? more = null)
    {
        await database.EnsureCreatedAsync<HostDbContext>(o => new HostDbContext(o));
        var services = new ServiceCollection();
        services.AddDbContext<HostDbContext>(o => database.Configure(o));
        var builder = services.AddEntraUserSync(o => o.Tenants.Add(new SyncProfile { TenantId = Tenant }));
        AddHostStore(builder).AddDirectorySource<InMemoryDirectory>();
        more?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        return (provider, provider.GetRequiredService<IEmployeeStore>());
    }

    private HostDbContext NewContext() => new(database.Options<HostDbContext>());

    [Fact]
    public async Task Sync_writes_the_mapped_columns_and_never_a_column_the_host_edits()
    {
        var (services, _) = await CreateAsync();
        await using var _ = services;
        var directory = (InMemoryDirectory)services.GetRequiredService<IDirectorySource>();
        var sync = services.GetRequiredService<IEntraUserSync>();
        var id = Guid.NewGuid().ToString();
        directory.Upsert(Tenant, id, new Dictionary<string, object?> { ["givenName"] = "Ann", ["surname"] = "Lee", ["mail"] = "ann@acme.example", ["jobTitle"] = "Clerk", ["displayName"] = "Ann Lee" });
        Assert.Equal(1, (await sync.SyncAsync(Tenant)).Counts.Created);

        await using (var context = NewContext())
        {
            var ann = await context.People.SingleAsync(p => p.EntraObjectId == id);
            Assert.Equal(("Ann", "Lee", "Clerk", "ann@acme.example"), (ann.GivenName, ann.FamilyName, ann.Title, ann.WorkEmail));
            ann.Notes = "prefers mornings";
            ann.IsVip = true;
            await context.SaveChangesAsync();
        }

        directory.Upsert(Tenant, id, new Dictionary<string, object?> { ["givenName"] = "Ann", ["surname"] = "Lee", ["mail"] = "ann@acme.example", ["jobTitle"] = "Manager", ["displayName"] = "Ann Lee" });
        var report = await sync.SyncAsync(Tenant, new SyncRunOptions { Mode = SyncMode.Full });

        Assert.Equal(1, report.Counts.Updated);
        await using (var context = NewContext())
        {
            var ann = await context.People.SingleAsync(p => p.EntraObjectId == id);
            Assert.Equal("Manager", ann.Title);
            Assert.Equal("prefers mornings", ann.Notes);
            Assert.True(ann.IsVip);
        }
    }

    [Fact]
    public async Task Memberships_added_by_hand_stay_and_only_what_sync_assigned_is_removed()
    {
        var (services, store) = await CreateAsync();
        await using var _ = services;
        var noon = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
        var oslo = new EmployeeAssignment { Unit = "Oslo", UserTypes = ["Employee", "Manager"] };
        EmployeeRecord Record(EmployeeAssignment assignment) => new()
        {
            Email = "bob@acme.example",
            Fields = new Dictionary<string, string?> { [FieldNames.FirstName] = "Bob", [FieldNames.LastName] = "Ray" },
            Assignment = assignment,
        };
        var directoryId = Guid.NewGuid().ToString();
        var lease = (await services.GetRequiredService<ISyncStateStore>().TryAcquireLeaseAsync(Tenant, "test-run", TimeSpan.FromMinutes(5))).Lease!;
        await store.ApplyAsync(Tenant, [new EmployeeChange { Kind = EmployeeChangeKind.Create, DirectoryId = directoryId, Record = Record(oslo), ContentHash = "h1", Timestamp = noon }], lease.Generation);

        await using (var context = NewContext())
        {
            var bob = await context.People.Include(p => p.Memberships).SingleAsync(p => p.EntraObjectId == directoryId);
            Assert.Equal(["Oslo/Employee", "Oslo/Manager"], bob.Memberships.Select(m => $"{m.Unit}/{m.UserType}").Order());
            bob.Memberships.Add(new HostMembership { Unit = "Oslo", UserType = "Mentor", AddedByHand = true });
            await context.SaveChangesAsync();
        }

        var stored = (await store.FindAsync(Tenant, [directoryId], [])).Single();
        Assert.Equal(oslo, stored.Assignment);
        var bergen = new EmployeeAssignment { Unit = "Bergen", UserTypes = ["Employee"] };
        await store.ApplyAsync(Tenant, [new EmployeeChange { Kind = EmployeeChangeKind.Update, DirectoryId = directoryId, Key = stored.Key, Record = Record(bergen), ContentHash = "h2", PreviousAssignment = stored.Assignment, Timestamp = noon }], lease.Generation);

        await using (var context = NewContext())
        {
            var bob = await context.People.Include(p => p.Memberships).SingleAsync(p => p.EntraObjectId == directoryId);
            Assert.Equal(["Bergen/Employee", "Oslo/Mentor"], bob.Memberships.Select(m => $"{m.Unit}/{m.UserType}").Order());
            Assert.Equal(int.Parse(stored.Key, System.Globalization.CultureInfo.InvariantCulture), bob.PersonId);
        }
    }

    [Fact]
    public async Task A_mapping_missing_a_required_column_fails_with_the_property_to_set()
    {
        var services = new ServiceCollection();
        services.AddDbContext<HostDbContext>(o => database.Configure(o));
        services.AddEntraUserSync().AddEntityFrameworkCoreStore<HostDbContext, HostEmployee>(map =>
        {
            map.TenantId = e => e.CustomerKey;
            map.DirectoryId = e => e.EntraObjectId;
            map.Email = e => e.WorkEmail!.ToString();
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IEmployeeStore>());

        Assert.Contains("EmployeeEntityMapping.ContentHash is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmployeeEntityMapping.DeactivatedAt is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("EmployeeEntityMapping.Email must be a writable property", error.Message, StringComparison.Ordinal);
        Assert.Contains("stores no field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entity_without_the_unique_link_index_is_refused_at_first_use()
    {
        var services = new ServiceCollection();
        services.AddDbContext<TestDbContext>(o => database.Configure(o));
        services.AddEntraUserSync().AddEntityFrameworkCoreStore<TestDbContext, SyncedEmployee>(map =>
        {
            map.TenantId = e => e.TenantId;
            map.DirectoryId = e => e.Email; // no unique index on (TenantId, Email)
            map.Email = e => e.NormalizedEmail;
            map.ContentHash = e => e.ContentHash;
            map.DeactivatedAt = e => e.DeactivatedAt;
            map.SyncedFields = e => e.Fields;
        });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IEmployeeStore>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.FindAsync(Tenant, ["x"], []));

        Assert.Contains("needs a unique index on (tenant, directory id)", error.Message, StringComparison.Ordinal);
    }
}
