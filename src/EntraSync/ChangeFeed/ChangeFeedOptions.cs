namespace EntraSync.ChangeFeed;

/// <summary>How the change feed delivers events to the <see cref="IEmployeeChangeHandler"/>s and how long it keeps them.</summary>
public sealed class ChangeFeedOptions
{
    /// <summary>Gets or sets how often the delivery loop looks for undelivered events when no run signalled new ones (other processes' runs, retries).</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long delivered events are kept for replay before they are removed.</summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the wait before a failed handler is retried; it doubles with each failure in a row.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between retries of a failing handler.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many events are read from the feed at a time.</summary>
    /// <value>The default is 500.</value>
    public int ReadBatchSize { get; set; } = 500;
}
