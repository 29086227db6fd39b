using System.Security.Cryptography;
using System.Text.Json;

namespace EntraSync.Sync.Applying;

/// <summary>The last step of a complete run: the checkpoint (delta link) the next incremental run continues from.</summary>
internal static class CheckpointWriter
{
    /// <summary>Saves the checkpoint the source reported with a complete read (or clears it when it reported none).</summary>
    public static async Task SaveAsync(ISyncStateStore state, string tenantId, DirectoryReadCompletion completion, string fingerprint, SyncCheckpoint? previous, long leaseGeneration, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lastFull = completion.IsFullEnumeration ? now : previous?.LastFullReadAt;
        var checkpoint = completion.Checkpoint is null
            ? null
            : new SyncCheckpoint
            {
                Value = completion.Checkpoint.Value,
                Fingerprint = fingerprint,
                CreatedAt = completion.Checkpoint.CreatedAt == default ? now : completion.Checkpoint.CreatedAt,
                LastFullReadAt = completion.Checkpoint.LastFullReadAt ?? lastFull,
            };
        await state.SaveCheckpointAsync(tenantId, checkpoint, leaseGeneration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What decides the outcome for a user who did not change in the directory: what is read and how it is judged
    /// (scope, email rules, field map, filters, matching, mandatory fields, photos). A checkpoint taken under another
    /// fingerprint cannot be continued, because users that delta would not return again may now be judged differently.
    /// </summary>
    public static string Fingerprint(SyncProfile profile, IReadOnlyCollection<string> properties)
    {
        var judged = JsonSerializer.SerializeToUtf8Bytes(new
        {
            properties = properties.Select(p => p.ToUpperInvariant()),
            profile.Scope.ODataFilter,
            groups = profile.Scope.GroupIds.Order(StringComparer.OrdinalIgnoreCase),
            profile.Scope.IncludeNestedGroups,
            profile.Connection.GraphBaseUrl,
            profile.Connection.TenantId,
            profile.Email,
            profile.Fields,
            profile.Filter,
            profile.Matching,
            profile.MandatoryFields,
            photos = new { profile.Photos.Enabled, profile.Photos.Size },
        });
        return Convert.ToHexString(SHA256.HashData(judged).AsSpan(0, 12));
    }
}
