namespace EntraSync.Sync.Internal;

/// <summary>Copies of a staged set with its decision, or with fewer removals (the type is immutable).</summary>
internal static class StagedRemovalsDecision
{
    public static StagedRemovals Decide(StagedRemovals staged, StagedRemovalsStatus status, DateTimeOffset at, string? by) => new()
    {
        Id = staged.Id,
        TenantId = staged.TenantId,
        RunId = staged.RunId,
        CreatedAt = staged.CreatedAt,
        Removals = staged.Removals,
        Reason = staged.Reason,
        Status = status,
        DecidedAt = at,
        DecidedBy = by,
    };

    public static StagedRemovals WithRemovals(StagedRemovals staged, IReadOnlyList<StagedRemoval> removals) => new()
    {
        Id = staged.Id,
        TenantId = staged.TenantId,
        RunId = staged.RunId,
        CreatedAt = staged.CreatedAt,
        Removals = removals,
        Reason = staged.Reason,
        Status = staged.Status,
        DecidedAt = staged.DecidedAt,
        DecidedBy = staged.DecidedBy,
    };
}
