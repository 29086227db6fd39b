using EntraSync.ChangeFeed.Internal;

namespace EntraSync.Sync.Running;

/// <summary>The parts a run uses.</summary>
internal sealed record SyncServices(
    IDirectorySource Source,
    IEmployeeStore Store,
    ISyncStateStore State,
    IFieldMapper Mapper,
    IUserFilter Filter,
    IAssignmentMatcher Matcher,
    IRetentionPolicy Retention,
    ChangeFeedPublisher? Feed = null);
