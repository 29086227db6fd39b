namespace EntraSync.Scheduling.Internal;

/// <summary>
/// Tells the scheduler in this process that a run changed a tenant's state (a manual run lifted a quarantine or moved
/// the next run), so it does not wait for the old due time to notice.
/// </summary>
internal sealed class TenantStateChanges
{
    public event Action<string>? Changed;

    public void Publish(string tenantId) => Changed?.Invoke(tenantId);
}
