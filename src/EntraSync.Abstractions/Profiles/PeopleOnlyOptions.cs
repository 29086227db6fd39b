namespace EntraSync;

/// <summary>
/// The "people only" preset: excludes accounts that are not people. Each part has its own reason in the report and
/// can be switched off.
/// </summary>
public sealed class PeopleOnlyOptions
{
    /// <summary>Gets or sets a value indicating whether the preset applies.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets a value indicating whether disabled accounts (<c>accountEnabled</c> false) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeDisabledAccounts { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether guests (<c>userType</c> Guest, or an <c>#EXT#</c> user principal name) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeGuests { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether users with no license (empty <c>assignedLicenses</c>) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeUnlicensed { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether rooms, equipment and shared mailboxes are excluded: users whose display
    /// name, user principal name or mail matches one of the room and shared-mailbox patterns.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeRoomsAndSharedMailboxes { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether service accounts (matching a service-account pattern) are excluded.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeServiceAccounts { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether users with neither a given name nor a surname are excluded (typical of service accounts and mailboxes).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ExcludeUsersWithoutName { get; set; } = true;

    /// <summary>
    /// Gets or sets extra room, equipment and shared-mailbox patterns: wildcards (<c>*</c> any text, <c>?</c> one
    /// character), matched ignoring case against the whole display name, user principal name and mail.
    /// </summary>
    /// <value>The default is empty (only the built-in patterns).</value>
    public IList<string> RoomAndSharedMailboxPatterns { get; set; } = [];

    /// <summary>Gets or sets extra service-account patterns, written like <see cref="RoomAndSharedMailboxPatterns"/>.</summary>
    /// <value>The default is empty (only the built-in patterns).</value>
    public IList<string> ServiceAccountPatterns { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether the built-in patterns apply besides the configured ones.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseBuiltInPatterns { get; set; } = true;

    /// <summary>Gets the built-in room, equipment and shared-mailbox patterns.</summary>
    public static IReadOnlyList<string> BuiltInRoomAndSharedMailboxPatterns { get; } =
    [
        "room *", "* room", "*meeting room*", "*conference room*", "boardroom*", "equipment*", "*shared mailbox*",
        "info@*", "contact@*", "reception@*", "office@*", "support@*", "sales@*", "hr@*", "invoice*@*", "booking*@*",
    ];

    /// <summary>Gets the built-in service-account patterns.</summary>
    public static IReadOnlyList<string> BuiltInServiceAccountPatterns { get; } =
    [
        "svc-*", "svc_*", "svc.*", "service-*", "service.*", "*service account*", "sync_*", "admin@*", "administrator@*",
        "noreply@*", "no-reply@*", "donotreply@*", "do-not-reply@*", "scanner@*", "scan@*", "postmaster@*",
    ];
}
