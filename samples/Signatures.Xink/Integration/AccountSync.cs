using EntraSync;
using Signatures.Xink.Data;

namespace Signatures.Xink.Integration;

/// <summary>
/// Runs a sync for an account the way both "Sync now" and the schedule want it: a full read after the admin changed
/// filters, fields or email rules (the delta only reports users whose data changed, so it would not re-filter
/// everyone), otherwise an incremental one.
/// </summary>
public sealed class AccountSync(IEntraUserSync sync, IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task<SyncReport> RunAsync(string accountId, SyncTrigger trigger, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignaturesDb>();
        var settings = await db.Integrations.FindAsync([accountId], cancellationToken)
            ?? throw new InvalidOperationException($"Account '{accountId}' has no integration settings.");
        var mode = settings.FullSyncRequired ? SyncMode.Full : SyncMode.Incremental;
        var report = await sync.SyncAsync(accountId, new SyncRunOptions { Mode = mode, Trigger = trigger }, cancellationToken);
        for (var waited = 0; report.Outcome == SyncOutcome.AlreadyRunning && waited < 240; waited++)
        {
            // A run a change in Entra ID started (live updates) holds the account for a moment: run after it.
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            report = await sync.SyncAsync(accountId, new SyncRunOptions { Mode = mode, Trigger = trigger }, cancellationToken);
        }

        if (mode == SyncMode.Full && report.Outcome is SyncOutcome.Succeeded or SyncOutcome.PartiallySucceeded)
        {
            settings.FullSyncRequired = false;
            await db.SaveChangesAsync(cancellationToken);
        }

        return report;
    }
}
