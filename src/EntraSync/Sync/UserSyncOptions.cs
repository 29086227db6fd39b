namespace EntraSync;

/// <summary>How to sync one user.</summary>
public sealed class UserSyncOptions
{
    /// <summary>Gets a value indicating whether to plan only: the result says what would change, and nothing is written.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DryRun { get; init; }
}
