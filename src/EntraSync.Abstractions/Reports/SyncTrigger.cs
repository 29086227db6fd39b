namespace EntraSync;

/// <summary>What started a run.</summary>
public enum SyncTrigger
{
    /// <summary>The host asked for it ("Sync now", "Initiate synchronisation").</summary>
    Manual,

    /// <summary>The scheduler, because the tenant was due.</summary>
    Schedule,

    /// <summary>An approval of staged removals.</summary>
    Approval,

    /// <summary>A single-user sync.</summary>
    SingleUser,

    /// <summary>A Microsoft Graph change notification (debounced per tenant; see EntraSync.AspNetCore's <c>MapEntraSyncNotifications</c>).</summary>
    ChangeNotification,
}
