namespace EntraSync.EntityFrameworkCore;

/// <summary>
/// A ready-made employee entity for hosts that have no employee table of their own. Add it to your model with
/// <c>modelBuilder.AddSyncedEmployees()</c> and register the store with <c>.AddEntityFrameworkCoreStore&lt;TContext&gt;()</c>.
/// </summary>
/// <remarks>
/// Sync writes only the columns it manages (link, email, fields, assignment, hash, photo, deactivation); a column you
/// add in a derived model or edit yourself is never overwritten. Setting <see cref="Email"/> also sets
/// <see cref="NormalizedEmail"/>, which the store uses to find employees by email with an index.
/// </remarks>
public sealed class SyncedEmployee
{
    private string? _email;

    /// <summary>Gets or sets the key (generated on insert).</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the tenant (the host's customer) the employee belongs to.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets the directory object id the employee is linked to, or <see langword="null"/> for a local employee.</summary>
    public string? DirectoryId { get; set; }

    /// <summary>Gets or sets the email; also sets <see cref="NormalizedEmail"/>.</summary>
    public string? Email
    {
        get => _email;
        set
        {
            _email = value;
            NormalizedEmail = EmployeeEmail.Normalize(value);
        }
    }

    /// <summary>Gets or sets the email trimmed and in upper case, for lookups that ignore case.</summary>
    public string? NormalizedEmail { get; set; }

    /// <summary>Gets or sets the synced fields as a JSON object of field name to value (what sync last wrote).</summary>
    public string? Fields { get; set; }

    /// <summary>Gets or sets the unit and user types sync assigned, as JSON (see <see cref="Assignment"/>), or <see langword="null"/> for none.</summary>
    public string? Assignment { get; set; }

    /// <summary>Gets or sets the content hash sync last wrote.</summary>
    public string? ContentHash { get; set; }

    /// <summary>Gets or sets the photo's ETag, or <see langword="null"/>.</summary>
    public string? PhotoETag { get; set; }

    /// <summary>Gets or sets the photo's bytes, or <see langword="null"/>.</summary>
#pragma warning disable CA1819 // An entity column: EF Core maps byte arrays as binary.
    public byte[]? Photo { get; set; }
#pragma warning restore CA1819

    /// <summary>Gets or sets when sync deactivated (soft deleted) the employee, or <see langword="null"/> while active.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>Gets or sets a concurrency token the store increments on every write; increment it in your own edits too.</summary>
    public int Version { get; set; }

    /// <summary>Gets a value from <see cref="Fields"/>.</summary>
    /// <param name="field">The field name, for example <c>First Name</c>.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? GetField(string field) => EmployeeJson.ReadFields(Fields).GetValueOrDefault(field);

    /// <summary>Gets the assignment stored in <see cref="Assignment"/>.</summary>
    /// <returns>The assignment.</returns>
    public EmployeeAssignment GetAssignment() => EmployeeJson.ReadAssignment(Assignment);

    /// <inheritdoc />
    public override string ToString() => DirectoryId is null ? $"{Id} (local)" : $"{Id} -> {DirectoryId}";
}
