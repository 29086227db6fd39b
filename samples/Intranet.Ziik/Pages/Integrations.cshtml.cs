using EntraSync;
using Intranet.Ziik.Data;
using Intranet.Ziik.Integration;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Pages;

/// <summary>The integration list ("The name will appear in the integration list in Ziik").</summary>
public sealed class IntegrationsModel(IntranetDb db, ISyncStateStore state, HourlySync hourly) : PageModel
{
    public sealed record Row(IntegrationSettings Settings, DateTimeOffset? LastRun, DateTimeOffset? NextRun);

    public IReadOnlyList<Row> Integrations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var settings in await db.Integrations.AsNoTracking().Where(s => s.TenantId == IntranetApp.TenantId).ToListAsync(cancellationToken))
        {
            var last = (await state.GetRunsAsync(settings.TenantId, 1, cancellationToken)).FirstOrDefault();
            rows.Add(new Row(settings, last?.FinishedAt, settings.Enabled ? hourly.NextRunAt : null));
        }

        Integrations = rows;
    }
}
