using EntraSync.Testing.Conformance.Internal;

namespace EntraSync.Testing.Conformance;

/// <summary>
/// The behaviour every <see cref="IEmployeeStore"/> must have, as framework-agnostic cases. With xUnit:
/// <c>[Theory, MemberData(nameof(Names))] public Task Conforms(string name) =&gt; EmployeeStoreConformance.Get(name).RunAsync(target, default);</c>
/// </summary>
public static class EmployeeStoreConformance
{
    private static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets every case.</summary>
    public static IReadOnlyList<StoreConformanceCase> Cases { get; } =
    [
        Case("Create stores the record, hash, assignment and photo ETag, active", CreateStoresEverythingAsync),
        Case("Create for a directory id already linked updates that employee instead of adding another", CreateIsIdempotentAsync),
        Case("Find matches directory ids, and emails ignoring case and spaces, returning each employee once", FindMatchesIdsAndEmailsAsync),
        Case("Find returns local employees by email and never another tenant's employees", FindIsScopedToTenantAsync),
        Case("Link attaches a local employee to the directory user and writes its record", LinkAttachesLocalEmployeeAsync),
        Case("Update writes the new record, hash and assignment", UpdateWritesRecordAsync),
        Case("Deactivate keeps the employee marked at the change's time and Reactivate clears it", DeactivateAndReactivateAsync),
        Case("Deactivating an employee already deactivated keeps the first time", DeactivateTwiceKeepsFirstAsync),
        Case("Delete and Purge remove the employee", DeleteAndPurgeRemoveAsync),
        Case("ReadLinked streams the tenant's linked employees, active and deactivated, and no local ones", ReadLinkedStreamsLinkedAsync),
        Case("A change carrying another tenant's key changes nothing", ChangesAreScopedToTenantAsync),
        Case("A batch with an invalid change writes nothing", InvalidBatchWritesNothingAsync),
        Case("A cancelled batch writes nothing", CancelledBatchWritesNothingAsync),
        Case("A page of 2,500 ids and emails is found in full", LargePageAsync),
        Case("A batch carrying a lease generation that is not the tenant's current lease is refused and writes nothing", StaleLeaseBatchIsRefusedAsync),
    ];

    /// <summary>Gets the case names, for a test framework's data source.</summary>
    public static IEnumerable<string> Names => Cases.Select(c => c.Name);

    /// <summary>Gets a case by name.</summary>
    /// <param name="name">The case name.</param>
    /// <returns>The case.</returns>
    public static StoreConformanceCase Get(string name) =>
        Cases.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"There is no employee store conformance case named '{name}'.", nameof(name));

    /// <summary>Builds a create change, for cases and host tests.</summary>
    /// <param name="directoryId">The directory object id.</param>
    /// <param name="email">The email.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="unit">The unit, or <see langword="null"/>.</param>
    /// <returns>The change.</returns>
    public static EmployeeChange NewCreate(string directoryId, string? email, string firstName = "Ann", string? unit = null) => new()
    {
        Kind = EmployeeChangeKind.Create,
        DirectoryId = directoryId,
        Record = Record(email, firstName, unit),
        ContentHash = Hash(email, firstName, unit),
        Timestamp = Noon,
    };

    private static StoreConformanceCase Case(string name, Func<IStoreConformanceTarget, CancellationToken, Task> run) => new() { Name = name, RunAsync = run };

    /// <summary>Applies a batch the way a run does: under the tenant's run lease, carrying its generation.</summary>
    private static async Task ApplyAsync(IStoreConformanceTarget target, string tenantId, IReadOnlyList<EmployeeChange> changes, CancellationToken cancellationToken)
    {
        var generation = await Expect.HoldLeaseAsync(target.State, tenantId).ConfigureAwait(false);
        await target.Employees.ApplyAsync(tenantId, changes, generation, cancellationToken).ConfigureAwait(false);
    }

    private static EmployeeRecord Record(string? email, string firstName, string? unit, string? photoETag = null) => new()
    {
        Email = email,
        Fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [FieldNames.FirstName] = firstName,
            [FieldNames.LastName] = "Lee",
            [FieldNames.JobTitle] = null,
        },
        Assignment = unit is null ? EmployeeAssignment.Unassigned : new EmployeeAssignment { Unit = unit, UserTypes = ["Employee", "Manager"] },
        PhotoETag = photoETag,
    };

    private static string Hash(string? email, string firstName, string? unit) => $"h:{email}:{firstName}:{unit}";

    private static EmployeeChange Change(EmployeeChangeKind kind, StoredEmployee employee, string? email = null, string firstName = "Ann", string? unit = null, DateTimeOffset? at = null) => new()
    {
        Kind = kind,
        DirectoryId = employee.DirectoryId ?? "dir-" + employee.Key,
        Key = employee.Key,
        Record = kind is EmployeeChangeKind.Deactivate or EmployeeChangeKind.Delete or EmployeeChangeKind.Purge ? null : Record(email ?? employee.Email, firstName, unit),
        ContentHash = kind is EmployeeChangeKind.Deactivate or EmployeeChangeKind.Delete or EmployeeChangeKind.Purge ? null : Hash(email ?? employee.Email, firstName, unit),
        PreviousAssignment = employee.Assignment,
        Timestamp = at ?? Noon,
    };

    private static async Task<StoredEmployee?> ByIdAsync(IStoreConformanceTarget target, string tenant, string directoryId, CancellationToken cancellationToken)
    {
        var found = await target.Employees.FindAsync(tenant, [directoryId], [], cancellationToken).ConfigureAwait(false);
        return found.SingleOrDefault(e => string.Equals(e.DirectoryId, directoryId, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<StoredEmployee> RequiredAsync(IStoreConformanceTarget target, string tenant, string directoryId, CancellationToken cancellationToken) =>
        await ByIdAsync(target, tenant, directoryId, cancellationToken).ConfigureAwait(false)
        ?? throw new StoreConformanceException($"FindAsync found no employee linked to {directoryId} in tenant {tenant}.");

    private static async Task<List<StoredEmployee>> LinkedAsync(IStoreConformanceTarget target, string tenant, CancellationToken cancellationToken)
    {
        var linked = new List<StoredEmployee>();
        await foreach (var employee in target.Employees.ReadLinkedAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            linked.Add(employee);
        }

        return linked;
    }

    private static async Task CreateStoresEverythingAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var create = new EmployeeChange
        {
            Kind = EmployeeChangeKind.Create,
            DirectoryId = "d-1",
            Record = Record("ann@contoso.com", "Ann", "Oslo", photoETag: "\"etag-1\""),
            ContentHash = "hash-1",
            Timestamp = Noon,
        };
        await ApplyAsync(target, tenant, [create], cancellationToken).ConfigureAwait(false);

        var stored = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.True(!string.IsNullOrEmpty(stored.Key), "A created employee must have a key.");
        Expect.Equal("ann@contoso.com", stored.Email, "Email of the created employee");
        Expect.Equal("hash-1", stored.ContentHash, "Content hash of the created employee");
        Expect.Equal("Ann", stored.Fields.GetValueOrDefault(FieldNames.FirstName), "First Name of the created employee");
        Expect.Equal("Lee", stored.Fields.GetValueOrDefault(FieldNames.LastName), "Last Name of the created employee");
        Expect.Equal(new EmployeeAssignment { Unit = "Oslo", UserTypes = ["Employee", "Manager"] }, stored.Assignment, "Assignment of the created employee");
        Expect.Equal("\"etag-1\"", stored.PhotoETag, "Photo ETag of the created employee");
        Expect.True(stored.IsActive, "A created employee must be active.");
    }

    private static async Task CreateIsIdempotentAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        var first = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);

        // As after a crash between the write and the checkpoint: the same create again, with newer content.
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com", firstName: "Anna")], cancellationToken).ConfigureAwait(false);

        var linked = await LinkedAsync(target, tenant, cancellationToken).ConfigureAwait(false);
        Expect.Equal(1, linked.Count, "Employees linked to d-1 after the same create twice");
        var again = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal(first.Key, again.Key, "Key after the repeated create");
        Expect.Equal("Anna", again.Fields.GetValueOrDefault(FieldNames.FirstName), "First Name after the repeated create");
    }

    private static async Task FindMatchesIdsAndEmailsAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com"), NewCreate("d-2", "Bob@Contoso.com", "Bob"), NewCreate("d-3", "cy@contoso.com", "Cy")], cancellationToken).ConfigureAwait(false);
        var local = await target.AddLocalEmployeeAsync(tenant, "Dee@Contoso.COM", cancellationToken).ConfigureAwait(false);

        var found = await target.Employees.FindAsync(tenant, ["d-1", "d-9"], ["ANN@contoso.com", "bob@CONTOSO.com", " dee@contoso.com "], cancellationToken).ConfigureAwait(false);

        Expect.Equal(3, found.Count, "Employees found for d-1 (also by email), bob@ and dee@");
        Expect.Equal(found.Count, found.Select(f => f.Key).Distinct().Count(), "Distinct keys in FindAsync's answer");
        Expect.Single(found, f => f.DirectoryId == "d-1", "Employee linked to d-1");
        Expect.Single(found, f => f.DirectoryId == "d-2", "Employee with email Bob@Contoso.com found by bob@CONTOSO.com");
        var dee = Expect.Single(found, f => f.Key == local, "Local employee found by email");
        Expect.Equal(null, dee.DirectoryId, "Directory id of a local employee");
    }

    private static async Task FindIsScopedToTenantAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        await ApplyAsync(target, other, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        await target.AddLocalEmployeeAsync(other, "bob@contoso.com", cancellationToken).ConfigureAwait(false);
        var local = await target.AddLocalEmployeeAsync(tenant, "bob@contoso.com", cancellationToken).ConfigureAwait(false);

        var found = await target.Employees.FindAsync(tenant, ["d-1"], ["ann@contoso.com", "bob@contoso.com"], cancellationToken).ConfigureAwait(false);

        Expect.Equal(1, found.Count, "Employees found in a tenant where only a local bob@ exists (the rest is another tenant's)");
        Expect.Equal(local, found[0].Key, "Key of the local employee found");
    }

    private static async Task LinkAttachesLocalEmployeeAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var local = await target.AddLocalEmployeeAsync(tenant, "ann@contoso.com", cancellationToken).ConfigureAwait(false);
        var found = (await target.Employees.FindAsync(tenant, [], ["ann@contoso.com"], cancellationToken).ConfigureAwait(false)).Single();

        var link = new EmployeeChange
        {
            Kind = EmployeeChangeKind.Link,
            DirectoryId = "d-1",
            Key = found.Key,
            Record = Record("ann@contoso.com", "Ann", "Oslo"),
            ContentHash = "hash-link",
            PreviousAssignment = found.Assignment,
            Timestamp = Noon,
        };
        await ApplyAsync(target, tenant, [link], cancellationToken).ConfigureAwait(false);

        var linked = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal(local, linked.Key, "Key of the linked employee (the local one, not a new one)");
        Expect.Equal("hash-link", linked.ContentHash, "Content hash after the link");
        Expect.Equal("Oslo", linked.Assignment.Unit, "Unit after the link");
        Expect.Equal(1, (await LinkedAsync(target, tenant, cancellationToken).ConfigureAwait(false)).Count, "Linked employees after one link");
    }

    private static async Task UpdateWritesRecordAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com", unit: "Oslo")], cancellationToken).ConfigureAwait(false);
        var before = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);

        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Update, before, email: "ann.lee@contoso.com", firstName: "Anna", unit: "Bergen")], cancellationToken).ConfigureAwait(false);

        var after = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal(before.Key, after.Key, "Key after an update");
        Expect.Equal("ann.lee@contoso.com", after.Email, "Email after an update");
        Expect.Equal("Anna", after.Fields.GetValueOrDefault(FieldNames.FirstName), "First Name after an update");
        Expect.Equal(Hash("ann.lee@contoso.com", "Anna", "Bergen"), after.ContentHash, "Content hash after an update");
        Expect.Equal("Bergen", after.Assignment.Unit, "Unit after an update");
        Expect.True(after.IsActive, "An updated employee stays active.");
    }

    private static async Task DeactivateAndReactivateAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        var employee = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);

        var at = Noon.AddDays(3);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, employee, at: at)], cancellationToken).ConfigureAwait(false);
        var deactivated = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal<DateTimeOffset?>(at, deactivated.DeactivatedAt, "DeactivatedAt after Deactivate");
        Expect.Equal(employee.ContentHash, deactivated.ContentHash, "Content hash after Deactivate (unchanged)");

        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Reactivate, deactivated, firstName: "Anna")], cancellationToken).ConfigureAwait(false);
        var back = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.True(back.IsActive, "A reactivated employee must be active (DeactivatedAt cleared).");
        Expect.Equal("Anna", back.Fields.GetValueOrDefault(FieldNames.FirstName), "First Name after Reactivate");
    }

    private static async Task DeactivateTwiceKeepsFirstAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        var employee = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);

        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, employee, at: Noon.AddDays(1))], cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, employee, at: Noon.AddDays(2))], cancellationToken).ConfigureAwait(false);

        var stored = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal<DateTimeOffset?>(Noon.AddDays(1), stored.DeactivatedAt, "DeactivatedAt after two deactivations");
    }

    private static async Task DeleteAndPurgeRemoveAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com"), NewCreate("d-2", "bob@contoso.com", "Bob"), NewCreate("d-3", "cy@contoso.com", "Cy")], cancellationToken).ConfigureAwait(false);
        var ann = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        var bob = await RequiredAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, bob)], cancellationToken).ConfigureAwait(false);

        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Delete, ann), Change(EmployeeChangeKind.Purge, bob, at: Noon.AddDays(40))], cancellationToken).ConfigureAwait(false);

        Expect.Equal(null, await ByIdAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false), "Employee d-1 after Delete");
        Expect.Equal(null, await ByIdAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false), "Employee d-2 after Purge");
        var left = await LinkedAsync(target, tenant, cancellationToken).ConfigureAwait(false);
        Expect.Equal("d-3", Expect.Single(left, _ => true, "Employees left after a delete and a purge").DirectoryId, "Directory id of the employee left");
    }

    private static async Task ReadLinkedStreamsLinkedAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com"), NewCreate("d-2", "bob@contoso.com", "Bob")], cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, other, [NewCreate("d-3", "cy@contoso.com", "Cy")], cancellationToken).ConfigureAwait(false);
        await target.AddLocalEmployeeAsync(tenant, "dee@contoso.com", cancellationToken).ConfigureAwait(false);
        var bob = await RequiredAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, bob)], cancellationToken).ConfigureAwait(false);

        var linked = await LinkedAsync(target, tenant, cancellationToken).ConfigureAwait(false);

        Expect.Equal("d-1,d-2", string.Join(",", linked.Select(e => e.DirectoryId).Order(StringComparer.Ordinal)), "Directory ids streamed by ReadLinkedAsync");
        Expect.True(Expect.Single(linked, e => e.DirectoryId == "d-1", "d-1 in ReadLinkedAsync").ContentHash is not null, "ReadLinkedAsync must return the content hash.");
        Expect.True(!Expect.Single(linked, e => e.DirectoryId == "d-2", "d-2 in ReadLinkedAsync").IsActive, "ReadLinkedAsync must return deactivated employees as deactivated.");
    }

    private static async Task ChangesAreScopedToTenantAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        await ApplyAsync(target, other, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        var theirs = await RequiredAsync(target, other, "d-1", cancellationToken).ConfigureAwait(false);

        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Update, theirs, firstName: "Mallory")], cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Deactivate, theirs)], cancellationToken).ConfigureAwait(false);
        await ApplyAsync(target, tenant, [Change(EmployeeChangeKind.Delete, theirs)], cancellationToken).ConfigureAwait(false);

        var after = await RequiredAsync(target, other, "d-1", cancellationToken).ConfigureAwait(false);
        Expect.Equal("Ann", after.Fields.GetValueOrDefault(FieldNames.FirstName), "First Name of another tenant's employee after changes applied in this tenant");
        Expect.True(after.IsActive, "Another tenant's employee must stay active after a deactivation applied in this tenant.");
    }

    private static async Task InvalidBatchWritesNothingAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com")], cancellationToken).ConfigureAwait(false);
        var ann = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);
        var invalid = new EmployeeChange { Kind = EmployeeChangeKind.Update, DirectoryId = "d-1", Key = ann.Key, Timestamp = Noon };

        await Expect.ThrowsAsync<ArgumentException>(
            async () => await ApplyAsync(target, tenant, [NewCreate("d-2", "bob@contoso.com", "Bob"), Change(EmployeeChangeKind.Deactivate, ann), invalid], cancellationToken).ConfigureAwait(false),
            "ApplyAsync with an update that has no record").ConfigureAwait(false);

        Expect.Equal(null, await ByIdAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false), "Employee d-2 created by a batch that failed");
        Expect.True((await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false)).IsActive, "Employee d-1 deactivated by a batch that failed.");
    }

    private static async Task CancelledBatchWritesNothingAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync().ConfigureAwait(false);

        await Expect.ThrowsAsync<OperationCanceledException>(
            async () => await ApplyAsync(target, tenant, [NewCreate("d-1", "ann@contoso.com")], cancelled.Token).ConfigureAwait(false),
            "ApplyAsync with a cancelled token").ConfigureAwait(false);

        Expect.Equal(null, await ByIdAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false), "Employee created by a cancelled batch");
    }

    private static async Task LargePageAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        const int Count = 2_500;
        var tenant = Expect.NewTenant();
        var creates = Enumerable.Range(0, Count).Select(i => NewCreate($"d-{i:D5}", $"user{i:D5}@contoso.com", $"User {i}")).ToList();
        await ApplyAsync(target, tenant, creates, cancellationToken).ConfigureAwait(false);

        var byId = await target.Employees.FindAsync(tenant, creates.Select(c => c.DirectoryId).ToList(), [], cancellationToken).ConfigureAwait(false);
        var byEmail = await target.Employees.FindAsync(tenant, [], creates.Select(c => c.Record!.Email!.ToUpperInvariant()).ToList(), cancellationToken).ConfigureAwait(false);
        var both = await target.Employees.FindAsync(tenant, creates.Select(c => c.DirectoryId).ToList(), creates.Select(c => c.Record!.Email!).ToList(), cancellationToken).ConfigureAwait(false);

        Expect.Equal(Count, byId.Count, "Employees found by 2,500 directory ids");
        Expect.Equal(Count, byEmail.Count, "Employees found by 2,500 emails");
        Expect.Equal(Count, both.Count, "Employees found by 2,500 ids and their 2,500 emails (each once)");
        Expect.Equal(Count, (await LinkedAsync(target, tenant, cancellationToken).ConfigureAwait(false)).Count, "Employees streamed by ReadLinkedAsync");
    }

    private static async Task StaleLeaseBatchIsRefusedAsync(IStoreConformanceTarget target, CancellationToken cancellationToken)
    {
        var tenant = Expect.NewTenant();
        var other = Expect.NewTenant();
        var first = await Expect.AcquireAsync(target.State, tenant, "run-a", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        await target.Employees.ApplyAsync(tenant, [NewCreate("d-1", "ann@contoso.com")], first.Generation, cancellationToken).ConfigureAwait(false);
        var ann = await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false);

        // run-a's lease passes to run-b, which has not written anything yet: run-a's next batch must be refused.
        await target.State.ReleaseLeaseAsync(first, cancellationToken).ConfigureAwait(false);
        var second = await Expect.AcquireAsync(target.State, tenant, "run-b", TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        var refused = await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await target.Employees.ApplyAsync(tenant, [NewCreate("d-2", "bob@contoso.com", "Bob"), Change(EmployeeChangeKind.Deactivate, ann)], first.Generation, cancellationToken).ConfigureAwait(false),
            "ApplyAsync carrying the generation of a lease another run took over").ConfigureAwait(false);
        Expect.True(refused.Message.Contains(tenant, StringComparison.Ordinal), "The StaleLeaseException message must name the tenant.");
        Expect.Equal(null, await ByIdAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false), "Employee d-2 created by a refused batch");
        Expect.True((await RequiredAsync(target, tenant, "d-1", cancellationToken).ConfigureAwait(false)).IsActive, "Employee d-1 deactivated by a refused batch.");

        // A generation is the tenant's own: it does not authorize writes to another tenant.
        await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await target.Employees.ApplyAsync(other, [NewCreate("d-9", "eve@contoso.com", "Eve")], second.Generation, cancellationToken).ConfigureAwait(false),
            "ApplyAsync for a tenant without a lease, carrying another tenant's generation").ConfigureAwait(false);

        await target.Employees.ApplyAsync(tenant, [NewCreate("d-2", "bob@contoso.com", "Bob")], second.Generation, cancellationToken).ConfigureAwait(false);
        Expect.True(await ByIdAsync(target, tenant, "d-2", cancellationToken).ConfigureAwait(false) is not null, "A batch carrying the current lease's generation must be written.");

        await target.State.ReleaseLeaseAsync(second, cancellationToken).ConfigureAwait(false);
        await Expect.ThrowsAsync<StaleLeaseException>(
            async () => await target.Employees.ApplyAsync(tenant, [NewCreate("d-3", "cy@contoso.com", "Cy")], second.Generation, cancellationToken).ConfigureAwait(false),
            "ApplyAsync carrying the generation of a released lease").ConfigureAwait(false);
    }
}
