using EntraSync.Sync.Evaluation;

namespace EntraSync.Sync.Planning;

/// <summary>
/// What one run remembers from page to page: the ids it saw, who holds which email, the removals it intends, and the
/// newcomers held back for an email. O(ids and emails of the tenant), never the users themselves.
/// </summary>
internal sealed class RunMemory
{
    /// <summary>Gets the directory ids the run has seen (present in the directory).</summary>
    public DirectoryIdSet Seen { get; } = new();

    /// <summary>Gets which directory user holds which email in this run.</summary>
    public EmailClaims EmailOwners { get; } = new();

    /// <summary>Gets the linked employees the run intends to remove, by directory id, decided behind the guards at the end.</summary>
    public Dictionary<string, PendingRemoval> PendingRemovals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the directory ids whose employees the run has removed (or, in a dry run, would).</summary>
    public HashSet<string> Removed { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the newcomers held back because an employee not yet seen in the run held their email.</summary>
    public List<UserEvaluation> Deferred { get; } = [];

    /// <summary>Gets the users whose photo must be downloaded, with the photo ETag the store holds now.</summary>
    public Dictionary<string, string?> PhotoNeeded { get; } = new(StringComparer.OrdinalIgnoreCase);
}
