namespace EntraSync;

/// <summary>The hosted scheduler, for a host that wants to tell it about profile changes at once.</summary>
public interface IEntraSyncScheduler
{
    /// <summary>
    /// Tells the scheduler that profiles changed (added, removed, edited): it reads them again without waiting for
    /// <see cref="EntraSyncSchedulerOptions.ProfileRefreshInterval"/>. A changed profile lifts its tenant's quarantine.
    /// </summary>
    void NotifyProfilesChanged();
}
