namespace EntraSync.Preview;

/// <summary>How to run a preview.</summary>
public sealed class SyncPreviewOptions
{
    /// <summary>Gets how many users the result lists; the totals always count everyone.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxUsers { get; init; } = 1_000;

    /// <summary>Gets a value indicating whether users out of scope are listed (they are always counted).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeOutOfScope { get; init; } = true;
}
