using Microsoft.Extensions.Logging;

namespace EntraSync.Sync;

/// <summary>The engine's log messages (stable event ids).</summary>
internal sealed partial class SyncRunner
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sync of tenant {TenantId} started (run {RunId}, {Mode}, dry run: {DryRun})")]
        public static partial void RunStarted(ILogger logger, string tenantId, string runId, SyncMode mode, bool dryRun);

        [LoggerMessage(2, LogLevel.Information, "Sync of tenant {TenantId} finished (run {RunId}): {Outcome}, {Mode}, {Read} read, {Changes} changes, {Staged} removals staged, {DurationMs:0} ms")]
        public static partial void RunFinished(ILogger logger, string tenantId, string runId, SyncOutcome outcome, SyncMode mode, int read, int changes, int staged, double durationMs);

        [LoggerMessage(3, LogLevel.Warning, "Sync of tenant {TenantId} not started (run {RunId}): another run is in progress")]
        public static partial void AlreadyRunning(ILogger logger, string tenantId, string runId);

        [LoggerMessage(4, LogLevel.Error, "Sync of tenant {TenantId} failed (run {RunId}): directory error {Kind}: {Message}")]
        public static partial void DirectoryFailed(ILogger logger, Exception exception, string tenantId, string runId, DirectoryErrorKind kind, string message);

        [LoggerMessage(5, LogLevel.Error, "Sync of tenant {TenantId} failed (run {RunId})")]
        public static partial void RunFailed(ILogger logger, Exception exception, string tenantId, string runId);

        [LoggerMessage(6, LogLevel.Error, "The profile of tenant {TenantId} is invalid: {Problems}")]
        public static partial void InvalidProfile(ILogger logger, string tenantId, string problems);

        [LoggerMessage(7, LogLevel.Information, "Staged removals {StagedId} of tenant {TenantId} {Status}: {Applied} removals applied")]
        public static partial void RemovalsDecided(ILogger logger, string tenantId, string stagedId, StagedRemovalsStatus status, int applied);

        [LoggerMessage(8, LogLevel.Warning, "Tenant {TenantId} quarantined until {Until:u} (run {RunId}): {Failures} runs in a row failed with {Kind}; a profile change or a successful manual run lifts it")]
        public static partial void Quarantined(ILogger logger, string tenantId, string runId, int failures, string kind, DateTimeOffset until);

        [LoggerMessage(9, LogLevel.Information, "Quarantine of tenant {TenantId} lifted (run {RunId})")]
        public static partial void QuarantineLifted(ILogger logger, string tenantId, string runId);

        [LoggerMessage(10, LogLevel.Error, "The scheduling state of tenant {TenantId} could not be saved after run {RunId}")]
        public static partial void StateNotSaved(ILogger logger, Exception exception, string tenantId, string runId);

        [LoggerMessage(12, LogLevel.Debug, "Scheduled run {RunId} of tenant {TenantId} for {Slot:u} skipped: the slot was already served, next run at {Next:u}")]
        public static partial void SlotAlreadyServed(ILogger logger, string tenantId, string runId, DateTimeOffset slot, DateTimeOffset next);

        [LoggerMessage(11, LogLevel.Information, "Single-user sync in tenant {TenantId} (run {RunId}) of {DirectoryId}: {Outcome}, {Action}, dry run: {DryRun}")]
        public static partial void UserSynced(ILogger logger, string tenantId, string runId, string directoryId, UserSyncOutcome outcome, string action, bool dryRun);
    }
}
