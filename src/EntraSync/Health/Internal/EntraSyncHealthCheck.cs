using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EntraSync.Health.Internal;

/// <summary>Reports tenants failing, quarantined, overdue, or with staged removals awaiting approval.</summary>
internal sealed class EntraSyncHealthCheck(
    ISyncProfileProvider profiles,
    ISyncStateStore state,
    TimeProvider time,
    IOptionsMonitor<EntraSyncHealthCheckOptions> options,
    IOptionsMonitor<EntraSyncSchedulerOptions> schedulerOptions,
    IEntraSyncScheduler? scheduler = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Get(context.Registration?.Name ?? Options.DefaultName);
        var scheduled = scheduler is not null && schedulerOptions.CurrentValue.Enabled;
        var now = time.GetUtcNow();
        var failing = new List<string>();
        var quarantined = new List<string>();
        var overdue = new List<string>();
        var awaiting = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var profile in profiles.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (profile is null || !profile.Enabled || string.IsNullOrWhiteSpace(profile.TenantId) || !seen.Add(profile.TenantId))
                {
                    continue;
                }

                var id = profile.TenantId;
                var s = await state.GetTenantStateAsync(id, cancellationToken).ConfigureAwait(false);
                if (s?.QuarantinedUntil is { } until && until > now)
                {
                    quarantined.Add($"{id} ({s.LastFailureKind}, until {until.ToString("u", CultureInfo.InvariantCulture)})");
                }
                else if (s is not null && s.ConsecutiveFailures >= Math.Max(1, o.FailingAfter))
                {
                    failing.Add($"{id} ({s.LastFailureKind}, {s.ConsecutiveFailures} in a row)");
                }
                else if (scheduled && s?.NextRunAt is { } next && now - next > o.OverdueAfter)
                {
                    overdue.Add($"{id} (due {next.ToString("u", CultureInfo.InvariantCulture)})");
                }

                var pending = (await state.GetStagedRemovalsAsync(id, cancellationToken).ConfigureAwait(false))
                    .Where(r => r.Status == StagedRemovalsStatus.Pending)
                    .Sum(r => r.Removals.Count);
                if (pending > 0)
                {
                    awaiting.Add($"{id} ({pending} removals)");
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration?.FailureStatus ?? HealthStatus.Unhealthy, "EntraSync could not read its profiles or state: " + ex.Message, ex);
        }

        var total = seen.Count;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["tenants"] = total,
            ["failing"] = failing.Count,
            ["quarantined"] = quarantined.Count,
            ["overdue"] = overdue.Count,
            ["awaitingApproval"] = awaiting.Count,
        };
        void List(string key, List<string> tenants)
        {
            if (tenants.Count > 0)
            {
                data[key] = tenants.Take(Math.Max(0, o.MaxTenantsListed)).ToArray();
            }
        }

        List("failingTenants", failing);
        List("quarantinedTenants", quarantined);
        List("overdueTenants", overdue);
        List("awaitingApprovalTenants", awaiting);

        var bad = failing.Count + quarantined.Count + overdue.Count;
        if (bad == 0 && awaiting.Count == 0)
        {
            return HealthCheckResult.Healthy($"{total} tenants in sync.", data);
        }

        var parts = new List<string>();
        if (failing.Count > 0)
        {
            parts.Add($"{failing.Count} failing");
        }

        if (quarantined.Count > 0)
        {
            parts.Add($"{quarantined.Count} quarantined");
        }

        if (overdue.Count > 0)
        {
            parts.Add($"{overdue.Count} overdue");
        }

        if (awaiting.Count > 0)
        {
            parts.Add($"{awaiting.Count} with staged removals awaiting approval");
        }

        var description = $"{total} tenants: {string.Join(", ", parts)}.";
        var status = total > 0 && bad > 0 && bad >= o.UnhealthyShare * total
            ? context.Registration?.FailureStatus ?? HealthStatus.Unhealthy
            : HealthStatus.Degraded;
        return new HealthCheckResult(status, description, data: data);
    }
}
