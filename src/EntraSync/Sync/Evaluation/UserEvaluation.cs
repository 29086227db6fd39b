namespace EntraSync.Sync.Evaluation;

/// <summary>What <see cref="UserEvaluator"/> decided about one directory user, before it is compared with the store.</summary>
/// <param name="User">The directory user.</param>
/// <param name="Email">The resolved email, if any.</param>
/// <param name="Scope">The filter's decision.</param>
/// <param name="Fields">The mapped fields (null when out of scope or unreadable).</param>
/// <param name="Match">The unit and user-type match (null when out of scope or unreadable).</param>
/// <param name="Record">The record sync would write (null when out of scope, unreadable, or not built).</param>
/// <param name="Hash">The record's content hash.</param>
/// <param name="Skip">Why the user is not imported although in scope (mandatory field missing, unreadable record).</param>
/// <param name="SkipText">The words for <paramref name="Skip"/>.</param>
/// <param name="ReadFailed">Whether evaluating the record threw (the record is skipped as invalid).</param>
internal sealed record UserEvaluation(
    DirectoryUser User,
    string? Email,
    ScopeDecision Scope,
    IReadOnlyDictionary<string, string?>? Fields = null,
    AssignmentMatch? Match = null,
    EmployeeRecord? Record = null,
    string? Hash = null,
    SkipReason? Skip = null,
    string? SkipText = null,
    bool ReadFailed = false)
{
    /// <summary>Gets a value indicating whether the user is in scope and not skipped: it becomes (or stays) an employee.</summary>
    public bool IsImportable => Scope.IsInScope && Skip is null;
}
