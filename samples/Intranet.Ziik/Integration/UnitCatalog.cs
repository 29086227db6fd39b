using EntraSync;
using Intranet.Ziik.Data;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Integration;

/// <summary>Tells EntraSync's matcher which units and user types exist: the ones on the Units page.</summary>
public sealed class UnitCatalog(IServiceScopeFactory scopes) : IAssignmentCatalog
{
    public async ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        return await db.Units.Where(u => u.TenantId == tenantId).Select(u => u.Name).ToListAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        return await db.UserTypes.Where(t => t.TenantId == tenantId).Select(t => t.Name).ToListAsync(cancellationToken);
    }
}
