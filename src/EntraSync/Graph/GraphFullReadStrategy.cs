namespace EntraSync.Graph;

/// <summary>How a full read gets the users and the delta link for the next incremental read.</summary>
public enum GraphFullReadStrategy
{
    /// <summary>
    /// Take a <c>$deltatoken=latest</c> link first, then read <c>/users</c> (999 per page, server-side filter). Changes
    /// made during the read are replayed by the next incremental read, so nothing is lost.
    /// </summary>
    LatestDeltaTokenThenList,

    /// <summary>Read a whole <c>/users/delta</c> round (about 200 per page; the filter is applied client-side).</summary>
    DeltaRound,
}
