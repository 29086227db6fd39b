using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore;

/// <summary>
/// Tells the store where sync's data lives on your own employee entity: the link (tenant, directory object id), the
/// state (deactivated since), the content hash, the synced fields, the email and the sync-managed assignment.
/// </summary>
/// <typeparam name="TEmployee">Your employee entity.</typeparam>
/// <remarks>
/// <para>
/// Each selector is a property access such as <c>e =&gt; e.DirectoryObjectId</c>. The store reads them in queries and
/// writes them on the entities it loads, so only those columns are ever written by sync: anything else on the entity
/// (a column a person edits in your product) is never overwritten.
/// </para>
/// <para>
/// Give <c>(tenant, directory id)</c> a unique index in your model
/// (<c>HasIndex(e =&gt; new { e.TenantId, e.DirectoryObjectId }).IsUnique()</c>): the store checks it at first use.
/// </para>
/// </remarks>
public sealed class EmployeeEntityMapping<TEmployee>
    where TEmployee : class
{
    /// <summary>Gets or sets the tenant column (text). Required.</summary>
    public Expression<Func<TEmployee, string>>? TenantId { get; set; }

    /// <summary>Gets or sets the directory object id column (nullable text; <see langword="null"/> for your own local employees). Required.</summary>
    public Expression<Func<TEmployee, string?>>? DirectoryId { get; set; }

    /// <summary>Gets or sets the email column. Required: sync links local employees by email and writes the resolved email here.</summary>
    public Expression<Func<TEmployee, string?>>? Email { get; set; }

    /// <summary>
    /// Gets or sets a column holding the email trimmed and upper-cased (<see cref="EmployeeEmail.Normalize"/>), with an
    /// index, so lookups by email use the index. When <see langword="null"/> the store compares
    /// <c>lower(trim(email))</c>, which scans the tenant's rows: fine for small tenants, slow for 100,000 users.
    /// Your own code must keep it filled for local employees.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Expression<Func<TEmployee, string?>>? NormalizedEmail { get; set; }

    /// <summary>Gets or sets the content hash column (text, 32 characters is enough). Required: it makes an unchanged user cost no write.</summary>
    public Expression<Func<TEmployee, string?>>? ContentHash { get; set; }

    /// <summary>Gets or sets the "deactivated at" column: <see langword="null"/> while active, set when sync soft deletes. Required.</summary>
    public Expression<Func<TEmployee, DateTimeOffset?>>? DeactivatedAt { get; set; }

    /// <summary>
    /// Gets or sets a text column holding every synced field as JSON (what sync last wrote), used to tell which
    /// fields changed. Map it, or <see cref="Fields"/>, or both.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Expression<Func<TEmployee, string?>>? SyncedFields { get; set; }

    /// <summary>
    /// Gets the field names (as in the field map, for example <c>First Name</c>) written to columns of your entity.
    /// A field not listed is kept only in <see cref="SyncedFields"/>.
    /// </summary>
    /// <value>The default is empty.</value>
    public IDictionary<string, Expression<Func<TEmployee, string?>>> Fields { get; } =
        new Dictionary<string, Expression<Func<TEmployee, string?>>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets a text column holding the unit and user types sync assigned, as JSON. Needed to remove only what
    /// sync assigned when the assignment changes; <see langword="null"/> when you do not use units.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Expression<Func<TEmployee, string?>>? SyncedAssignment { get; set; }

    /// <summary>Gets or sets the photo ETag column, or <see langword="null"/> when photos are not stored.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Expression<Func<TEmployee, string?>>? PhotoETag { get; set; }

    /// <summary>Gets or sets the photo bytes column, or <see langword="null"/> when photo bytes are not stored.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Expression<Func<TEmployee, byte[]?>>? Photo { get; set; }

    /// <summary>
    /// Gets or sets how to make a new employee for a tenant (fill your own required columns here). When
    /// <see langword="null"/>, the store uses the parameterless constructor and sets <see cref="TenantId"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<string, TEmployee>? NewEmployee { get; set; }

    /// <summary>
    /// Gets or sets a callback invoked for every change, inside the batch's transaction, before it is saved: apply
    /// unit and user-type memberships in your own tables here (add <see cref="EmployeeRecord.Assignment"/>, remove only
    /// what is in <see cref="EmployeeChange.PreviousAssignment"/> and no longer assigned). Anything you add to the
    /// context is saved with the batch, all or nothing.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<EmployeeChangeContext<TEmployee>, CancellationToken, ValueTask>? OnChange { get; set; }
}

/// <summary>What <see cref="EmployeeEntityMapping{TEmployee}.OnChange"/> receives for one change.</summary>
/// <typeparam name="TEmployee">Your employee entity.</typeparam>
public sealed class EmployeeChangeContext<TEmployee>
    where TEmployee : class
{
    /// <summary>Gets the context the batch is written with (inside its transaction).</summary>
    public required DbContext Context { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the change.</summary>
    public required EmployeeChange Change { get; init; }

    /// <summary>
    /// Gets the tracked employee sync just wrote (created, linked, updated or reactivated), or <see langword="null"/>
    /// for deactivations, deletions and purges, which the store applies with set-based statements after this callback.
    /// </summary>
    public TEmployee? Employee { get; init; }
}
