using System.Globalization;
using EntraSync.ChangeNotifications;
using EntraSync.Cli.Configuration;
using EntraSync.Cli.Hosting;
using EntraSync.Cli.Storage;
using Microsoft.Data.Sqlite;

namespace EntraSync.Cli.Commands;

/// <summary>
/// The change-notification part of <c>entrasync check</c>: the tenant's subscription as a host keeps it in the
/// database (when it keeps it there) and as Microsoft Graph has it (GET only), with what to do, in words.
/// </summary>
internal static class SubscriptionHealth
{
    /// <summary>How long before expiry a host renews by default (<c>ChangeNotifications:RenewBefore</c>).</summary>
    private static readonly TimeSpan DefaultRenewBefore = new ChangeNotificationOptions().RenewBefore;

    public static async Task<ChangeNotificationsInfo> ReadAsync(CliHost host, CliSettings settings, bool connected, CancellationToken cancellationToken)
    {
        var tenant = settings.Profile.TenantId;
        var lastRun = await LastNotificationRunAsync(host, settings, cancellationToken).ConfigureAwait(false);
        if (!connected)
        {
            return new ChangeNotificationsInfo("unknown", null, null, null, false, null, false, null, null, lastRun, null,
                "not checked: the connection failed (see the checks above).");
        }

        var status = await host.Get<ChangeSubscriptionManager>().GetStatusAsync(tenant, cancellationToken).ConfigureAwait(false);
        var stored = status.Stored;
        var state = status switch
        {
            { GraphError: not null } => "unknown",
            { OnGraph: true, TimeLeft.Ticks: > 0 } s when s.TimeLeft <= DefaultRenewBefore => "renewalDue",
            { OnGraph: true, TimeLeft.Ticks: > 0 } => "on",
            { Stored: not null } => "gone",
            _ => "off",
        };
        var id = status.SubscriptionId;
        var when = status.ExpiresAt is { } expires ? $"{expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" : "";
        var left = status.TimeLeft is { } l ? Span(l) : "";
        var message = state switch
        {
            "on" => $"on: subscription {id} on /users expires {when}, in {left}; renewed automatically by the host while it runs ({Span(DefaultRenewBefore)} before it expires)."
                + (stored is null ? " This database does not keep it (the host keeps its subscriptions elsewhere or in memory); Microsoft Graph lists it for this app." : ""),
            "renewalDue" => $"renewal due: subscription {id} expires {when}, in {left}; the host renews it at its next check (hourly by default). If it is still due after that, is the host running?",
            "gone" => $"gone: the host's subscription {id} {(status.TimeLeft is { Ticks: <= 0 } ? $"expired {when}" : "is no longer known to Microsoft Graph")}; the host creates a new one at its next check (hourly by default). Is the host running? Until then changes arrive with the scheduled sync.",
            "off" => "off: no subscription: the host has not created one. Is ChangeNotifications:Enabled set and the host running? Until then changes arrive with the scheduled sync.",
            _ => $"unknown: Microsoft Graph could not be asked ({status.GraphError?.TrimEnd('.')})."
                + (stored is null ? "" : $" The host's store names subscription {stored.SubscriptionId}, expiring {stored.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."),
        };
        return new ChangeNotificationsInfo(
            state,
            id,
            status.ExpiresAt,
            status.TimeLeft is { } t ? Math.Round(t.TotalSeconds) : null,
            state == "renewalDue",
            status.OnGraph,
            stored is not null,
            stored?.RenewedAt,
            status.NotificationUrl,
            lastRun,
            status.GraphError,
            message);
    }

    public static void Write(TextWriter writer, ChangeNotificationsInfo info, DateTimeOffset now)
    {
        writer.WriteLine();
        writer.WriteLine("Change notifications (near-real-time sync):");
        writer.WriteLine($"  {info.Message}");
        if (info.RenewedAt is { } renewed)
        {
            writer.WriteLine($"  created or last renewed: {renewed.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC ({Span(now - renewed)} ago).");
        }

        if (info.LastNotificationRun is { } run)
        {
            writer.WriteLine($"  last run started by a change notification: {run.FinishedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({Span(now - run.FinishedAt)} ago), {run.Outcome.ToString().ToLowerInvariant()}.");
        }
    }

    /// <summary>The newest run a change notification started, from the database's run history (never creates the file).</summary>
    private static async Task<NotificationRunInfo?> LastNotificationRunAsync(CliHost host, CliSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.DbPath))
        {
            return null;
        }

        try
        {
            var runs = await host.Get<ISyncStateStore>().GetRunsAsync(settings.Profile.TenantId, 200, cancellationToken).ConfigureAwait(false);
            return runs.FirstOrDefault(r => r.Trigger == SyncTrigger.ChangeNotification) is { } run
                ? new NotificationRunInfo(run.RunId, run.FinishedAt, run.Outcome)
                : null;
        }
        catch (SqliteException)
        {
            return null;   // not an entrasync database: 'runs' and 'employees' say so; check is about the connection
        }
    }

    /// <summary>"2 days 3 h", "5 h 10 min", "12 min", "40 s".</summary>
    internal static string Span(TimeSpan span)
    {
        span = span.Duration();
        return span switch
        {
            { TotalDays: >= 1 } => $"{(int)span.TotalDays} day{((int)span.TotalDays == 1 ? "" : "s")}{(span.Hours > 0 ? $" {span.Hours} h" : "")}",
            { TotalHours: >= 1 } => $"{(int)span.TotalHours} h{(span.Minutes > 0 ? $" {span.Minutes} min" : "")}",
            { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min",
            _ => $"{(int)span.TotalSeconds} s",
        };
    }
}

/// <summary>The <c>changeNotifications</c> object of <c>check --json</c>.</summary>
internal sealed record ChangeNotificationsInfo(
    string State,
    string? SubscriptionId,
    DateTimeOffset? ExpiresAt,
    double? SecondsLeft,
    bool RenewalDue,
    bool? OnGraph,
    bool KeptInDatabase,
    DateTimeOffset? RenewedAt,
    string? NotificationUrl,
    NotificationRunInfo? LastNotificationRun,
    string? GraphError,
    string Message);

internal sealed record NotificationRunInfo(string RunId, DateTimeOffset FinishedAt, SyncOutcome Outcome);
