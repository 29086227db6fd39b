using EntraSync;
using EntraSync.Health.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds EntraSync's health check.</summary>
public static class EntraSyncHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports tenants failing, quarantined, overdue (with the scheduler) or with staged
    /// removals awaiting approval. Degraded while some tenants need attention; <paramref name="failureStatus"/> when
    /// at least <see cref="EntraSyncHealthCheckOptions.UnhealthyShare"/> of the tenants fail. It reads each enabled
    /// tenant's state and staged removals from the <see cref="ISyncStateStore"/> every time it runs.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when most tenants fail, or <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <param name="configure">Configures what counts as needing attention.</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddEntraSync(
        this IHealthChecksBuilder builder,
        string name = "entrasync",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        Action<EntraSyncHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptions<EntraSyncHealthCheckOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.Add(new HealthCheckRegistration(
            name,
            sp => ActivatorUtilities.CreateInstance<EntraSyncHealthCheck>(sp),
            failureStatus,
            tags));
    }
}
