namespace EntraSync;

/// <summary>Profile photo sync.</summary>
public sealed class PhotoOptions
{
    /// <summary>Gets or sets a value indicating whether photos are synced.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the photo size to download, for example <c>240x240</c>; empty for the largest available.</summary>
    /// <value>The default is <c>240x240</c>.</value>
    public string? Size { get; set; } = "240x240";

    /// <summary>
    /// Gets or sets how many photo requests run at once per tenant (Exchange allows 4 per mailbox); when the directory
    /// source batches photo requests (the Graph source does by default), how many batches.
    /// </summary>
    /// <value>The default is 4.</value>
    public int MaxConcurrentRequests { get; set; } = 4;
}
