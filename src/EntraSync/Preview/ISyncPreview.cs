namespace EntraSync.Preview;

/// <summary>
/// Evaluates a tenant's mapping, filters and matching on the directory without writing anything: no store is read or
/// changed and no checkpoint is kept. For a settings page's "preview" button and for support.
/// </summary>
public interface ISyncPreview
{
    /// <summary>Previews a tenant whose profile the <see cref="ISyncProfileProvider"/> supplies.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="options">How many users to list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Per-user results and totals; <see cref="SyncPreviewResult.Errors"/> says what stopped the preview, if anything.</returns>
    Task<SyncPreviewResult> PreviewAsync(string tenantId, SyncPreviewOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Previews a profile that is not (or not yet) saved, for example settings an admin is editing.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="options">How many users to list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Per-user results and totals.</returns>
    Task<SyncPreviewResult> PreviewAsync(SyncProfile profile, SyncPreviewOptions? options, CancellationToken cancellationToken);
}
