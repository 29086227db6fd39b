using System.Text.Json.Serialization;
using EntraSync.Cli.Configuration;

namespace EntraSync.Cli.Output;

// The --json documents. Their shape is a contract documented (as JSON Schema) in docs/cli.md and checked by the
// tests; every property is always present (null when there is no value) so consumers need no existence checks.

/// <summary>What every document starts with.</summary>
internal abstract record CommandDocument(
    [property: JsonPropertyOrder(-2)] string Command,
    [property: JsonPropertyOrder(-1)] int ExitCode);

internal sealed record ErrorDocument(string Command, int ExitCode, ErrorInfo Error) : CommandDocument(Command, ExitCode);

internal sealed record ErrorInfo(string Message, string? Hint);

internal sealed record DirectorySummary(string Kind, string Description, string GraphUrl)
{
    public static DirectorySummary From(CliSettings settings) => new(
        settings.Directory switch
        {
            DirectoryKind.Demo => "demo",
            DirectoryKind.AccessToken => "accessToken",
            _ => "clientCredentials",
        },
        settings.DirectoryDescription,
        settings.Profile.Connection.GraphBaseUrl);
}

internal sealed record SyncDocument(
    string Command,
    int ExitCode,
    string TenantId,
    DirectorySummary? Directory,
    string Database,
    string RunId,
    SyncOutcome Outcome,
    SyncMode Mode,
    SyncMode RequestedMode,
    string? FallbackReason,
    bool DryRun,
    bool Complete,
    bool NothingChanged,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long DurationMs,
    CountsInfo Counts,
    IReadOnlyList<UserOutcomeInfo> Users,
    bool UsersTruncated,
    string? UsersNote,
    IReadOnlyDictionary<string, int> UnmatchedUnitValues,
    IReadOnlyDictionary<string, int> UnmatchedUserTypeValues,
    string? StagedRemovalsId,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors,
    string? FailureKind) : CommandDocument(Command, ExitCode)
{
    public static SyncDocument From(string command, int exitCode, SyncReport report, CliSettings settings, DirectorySummary? directory) => new(
        command,
        exitCode,
        report.TenantId,
        directory,
        settings.DbPath,
        report.RunId,
        report.Outcome,
        report.Mode,
        report.RequestedMode,
        report.FallbackReason,
        report.IsDryRun,
        report.IsReadComplete,
        Reports.NothingChanged(report),
        report.StartedAt,
        report.FinishedAt,
        (long)report.Duration.TotalMilliseconds,
        CountsInfo.From(report.Counts),
        report.Users.Select(UserOutcomeInfo.From).ToList(),
        report.IsUserListTruncated,
        Reports.TruncationNote(report, settings),
        report.UnmatchedUnitValues,
        report.UnmatchedUserTypeValues,
        report.StagedRemovalsId,
        report.Warnings,
        report.Errors,
        report.FailureKind);
}

internal sealed record CountsInfo(
    int Read,
    int Created,
    int Linked,
    int Updated,
    int Unchanged,
    int Reactivated,
    int Deactivated,
    int Deleted,
    int Purged,
    int Staged,
    int Skipped,
    int OutOfScope,
    int Unassigned,
    int Kept,
    int Changes)
{
    public static CountsInfo From(SyncCounts c) => new(
        c.Read, c.Created, c.Linked, c.Updated, c.Unchanged, c.Reactivated, c.Deactivated, c.Deleted, c.Purged, c.Staged, c.Skipped, c.OutOfScope, c.Unassigned, c.Kept, c.Changes);
}

internal sealed record UserOutcomeInfo(
    string? DirectoryId,
    string? Email,
    string? DisplayName,
    UserAction Action,
    string? Reason,
    SkipReason? SkipReason,
    IReadOnlyList<FieldChangeInfo> ChangedFields,
    string? Unit,
    IReadOnlyList<string>? UserTypes)
{
    public static UserOutcomeInfo From(UserOutcome u) => new(
        u.DirectoryId,
        u.Email,
        u.DisplayName,
        u.Action,
        u.Reason,
        u.SkipReason,
        u.ChangedFields.Select(f => new FieldChangeInfo(f.Field, f.OldValue, f.NewValue)).ToList(),
        u.Assignment?.Unit,
        u.Assignment?.UserTypes);
}

internal sealed record FieldChangeInfo(string Field, string? OldValue, string? NewValue);

internal sealed record RejectDocument(string Command, int ExitCode, string TenantId, string Database, StagedRemovalsInfo StagedRemovals)
    : CommandDocument(Command, ExitCode);

internal sealed record StagedRemovalsInfo(
    string Id,
    string RunId,
    DateTimeOffset CreatedAt,
    StagedRemovalsStatus Status,
    string? Reason,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    int Count,
    IReadOnlyList<StagedRemovalInfo> Removals)
{
    public static StagedRemovalsInfo From(StagedRemovals s) => new(
        s.Id,
        s.RunId,
        s.CreatedAt,
        s.Status,
        s.Reason,
        s.DecidedAt,
        s.DecidedBy,
        s.Removals.Count,
        s.Removals.Select(r => new StagedRemovalInfo(r.DirectoryId, r.Email, r.Action, r.Cause)).ToList());
}

internal sealed record StagedRemovalInfo(string DirectoryId, string? Email, RemovalAction Action, RemovalCause Cause);

internal sealed record RunsDocument(
    string Command,
    int ExitCode,
    string TenantId,
    string Database,
    IReadOnlyList<RunInfo> Runs,
    IReadOnlyList<StagedRemovalsInfo> StagedRemovals) : CommandDocument(Command, ExitCode);

internal sealed record RunInfo(
    string RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long DurationMs,
    SyncOutcome Outcome,
    SyncMode Mode,
    bool DryRun,
    bool Complete,
    CountsInfo Counts,
    string? StagedRemovalsId,
    string? FailureKind,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors)
{
    public static RunInfo From(SyncReport r) => new(
        r.RunId,
        r.StartedAt,
        r.FinishedAt,
        (long)r.Duration.TotalMilliseconds,
        r.Outcome,
        r.Mode,
        r.IsDryRun,
        r.IsReadComplete,
        CountsInfo.From(r.Counts),
        r.StagedRemovalsId,
        r.FailureKind,
        r.Warnings,
        r.Errors);
}

internal sealed record EmployeesDocument(
    string Command,
    int ExitCode,
    string TenantId,
    string Database,
    int Total,
    int Active,
    int Deactivated,
    bool Truncated,
    IReadOnlyList<EmployeeInfo> Employees) : CommandDocument(Command, ExitCode);

internal sealed record EmployeeInfo(
    string? DirectoryId,
    string? Email,
    string? FirstName,
    string? LastName,
    string? DisplayName,
    IReadOnlyDictionary<string, string?> Fields,
    string State,
    DateTimeOffset? DeactivatedAt,
    string? Unit,
    IReadOnlyList<string> UserTypes);
