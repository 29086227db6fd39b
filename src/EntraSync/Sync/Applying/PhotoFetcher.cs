using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Reporting;

namespace EntraSync.Sync.Applying;

/// <summary>
/// Downloads the photos a page's changes need (new or changed photo ETag), a few at a time, just before the page is
/// written. A photo that fails keeps the stored ETag, so the next run tries it again; the rest of the change applies.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="source">The directory.</param>
/// <param name="ledger">Where download failures are warned about.</param>
/// <param name="photoNeeded">The users whose photo is needed, with the ETag the store holds (filled by the planner).</param>
internal sealed class PhotoFetcher(SyncContext context, IDirectorySource source, RunLedger ledger, Dictionary<string, string?> photoNeeded)
{
    private readonly SyncProfile _profile = context.Profile;

    /// <summary>Attaches the downloaded photo to each change that needs one, in place.</summary>
    public async Task AttachAsync(List<EmployeeChange> changes, CancellationToken cancellationToken)
    {
        if (!_profile.Photos.Enabled || context.IsDryRun || photoNeeded.Count == 0)
        {
            return;
        }

        var request = new DirectoryReadRequest { Context = context };
        var needing = new List<int>();
        for (var i = 0; i < changes.Count; i++)
        {
            if (photoNeeded.ContainsKey(changes[i].DirectoryId))
            {
                needing.Add(i);
            }
        }

        // One call for the page, so a source can fetch several photos per round trip (the Graph source batches them).
        var ids = new string[needing.Count];
        for (var k = 0; k < needing.Count; k++)
        {
            ids[k] = changes[needing[k]].DirectoryId;
        }

        var downloads = await source.GetPhotosAsync(request, ids, cancellationToken).ConfigureAwait(false);
        var byUser = new Dictionary<string, DirectoryPhotoDownload>(downloads.Count, StringComparer.Ordinal);
        foreach (var download in downloads)
        {
            byUser[download.UserId] = download;
        }

        foreach (var i in needing)
        {
            var change = changes[i];
            if (!byUser.TryGetValue(change.DirectoryId, out var download) || download.Error is not null)
            {
                // Keep the old ETag so the next run tries the photo again; the rest of the change still applies.
                var reason = download?.Error?.Message ?? "the directory source returned nothing for this user";
                ledger.Warnings.Add($"The photo of {change.Record?.Email ?? change.DirectoryId} could not be downloaded and is tried again next run: {reason}");
                var record = WithPhotoETag(change.Record!, photoNeeded[change.DirectoryId]);
                changes[i] = Copy(change, record, ContentHash.Compute(record), null);
                continue;
            }

            changes[i] = Copy(change, change.Record, change.ContentHash, download.Photo);
        }

        foreach (var change in changes)
        {
            photoNeeded.Remove(change.DirectoryId);
        }
    }

    private static EmployeeRecord WithPhotoETag(EmployeeRecord record, string? etag)
    {
        var fields = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in record.Fields)
        {
            fields[name] = string.Equals(value, record.PhotoETag, StringComparison.Ordinal) && name == FieldNames.Photo ? etag : value;
        }

        return new EmployeeRecord { Email = record.Email, Fields = fields, Assignment = record.Assignment, PhotoETag = etag };
    }

    private static EmployeeChange Copy(EmployeeChange change, EmployeeRecord? record, string? hash, DirectoryPhoto? photo) => new()
    {
        Kind = change.Kind,
        DirectoryId = change.DirectoryId,
        Key = change.Key,
        Record = record,
        ContentHash = hash,
        ChangedFields = change.ChangedFields,
        PreviousAssignment = change.PreviousAssignment,
        Timestamp = change.Timestamp,
        Reason = change.Reason,
        Photo = photo,
    };
}
