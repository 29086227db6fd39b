namespace EntraSync.Preview;

/// <summary>What a preview says would happen to a user.</summary>
public enum UserPreviewOutcome
{
    /// <summary>In scope with every mandatory field: would be created, linked or updated.</summary>
    Imported,

    /// <summary>Excluded by the filters.</summary>
    OutOfScope,

    /// <summary>In scope but skipped (see <see cref="UserPreview.SkipReason"/>).</summary>
    Skipped,
}
