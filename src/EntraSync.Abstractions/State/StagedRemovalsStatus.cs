namespace EntraSync;

/// <summary>The decision on staged removals.</summary>
public enum StagedRemovalsStatus
{
    /// <summary>Waiting for a decision.</summary>
    Pending,

    /// <summary>Approved and applied.</summary>
    Approved,

    /// <summary>Rejected; nobody was removed.</summary>
    Rejected,

    /// <summary>
    /// Replaced by a later complete read of the directory: that read decided the removals afresh (staging a newer set,
    /// applying them under the thresholds, or finding the people back).
    /// </summary>
    Superseded,

    /// <summary>Not decided within <see cref="RemovalOptions.StagedRemovalsLifetime"/>; the next full read stages again whoever is still gone.</summary>
    Expired,
}
