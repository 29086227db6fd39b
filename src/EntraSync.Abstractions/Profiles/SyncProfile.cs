namespace EntraSync;

/// <summary>
/// Everything that configures sync for one tenant: where to read, what to map, who is in scope, how people land in
/// units, and what happens when they leave. Bind it from configuration or build it from your own database.
/// </summary>
public sealed class SyncProfile
{
    /// <summary>Gets or sets the tenant key: the host's id for the customer's directory (usually the Entra tenant id).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Gets or sets a name for people (the customer's name), used in reports and logs.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Gets or sets a value indicating whether sync runs for the tenant.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets a version stamp for the profile; when it changes the scheduler treats the tenant as reconfigured.</summary>
    public string? Version { get; set; }

    /// <summary>Gets or sets how to connect to the tenant's directory.</summary>
    public DirectoryConnectionOptions Connection { get; set; } = new();

    /// <summary>Gets or sets which users are read from the directory (server-side filter, groups).</summary>
    public DirectoryScopeOptions Scope { get; set; } = new();

    /// <summary>Gets or sets how each user's email is found.</summary>
    public EmailResolutionOptions Email { get; set; } = new();

    /// <summary>Gets or sets the field map.</summary>
    public FieldMapOptions Fields { get; set; } = new();

    /// <summary>Gets or sets the client-side filters.</summary>
    public UserFilterOptions Filter { get; set; } = new();

    /// <summary>Gets or sets unit and user-type matching.</summary>
    public AssignmentMatchingOptions Matching { get; set; } = new();

    /// <summary>Gets or sets what happens to employees whose directory user left.</summary>
    public RemovalOptions Removal { get; set; } = new();

    /// <summary>Gets or sets profile photo sync.</summary>
    public PhotoOptions Photos { get; set; } = new();

    /// <summary>Gets or sets when the scheduler runs the tenant.</summary>
    public ScheduleOptions Schedule { get; set; } = new();

    /// <summary>
    /// Gets or sets the fields a user must have to be imported; a user missing one is skipped with that reason.
    /// <c>Email</c> means the resolved email.
    /// </summary>
    /// <value>The default is <c>Email</c>, <c>First Name</c>, <c>Last Name</c>.</value>
    public IList<string> MandatoryFields { get; set; } = [FieldNames.Email, FieldNames.FirstName, FieldNames.LastName];

    /// <summary>Gets or sets how many per-user outcomes a report lists before it stops listing (counts stay complete).</summary>
    /// <value>The default is 10,000.</value>
    public int MaxUserOutcomesInReport { get; set; } = 10_000;

    /// <summary>Gets or sets how many run reports to keep per tenant.</summary>
    /// <value>The default is 50.</value>
    public int RunHistoryLength { get; set; } = 50;
}
