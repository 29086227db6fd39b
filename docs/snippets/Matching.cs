// The C# blocks of docs/matching.md, compiled.
using EntraSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

public sealed class UnitCatalog(MyDbContext db) : IAssignmentCatalog
{
    public async ValueTask<IReadOnlyCollection<string>> GetUnitsAsync(string tenantId, CancellationToken ct = default) =>
        await db.Units.Where(u => u.TenantId == tenantId).Select(u => u.Name).ToListAsync(ct);

    public async ValueTask<IReadOnlyCollection<string>> GetUserTypesAsync(string tenantId, CancellationToken ct = default) =>
        await db.UserTypes.Where(t => t.TenantId == tenantId).Select(t => t.Name).ToListAsync(ct);
}

public static class MatchingSnippets
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddEntraUserSync(configuration.GetSection("EntraSync"))
            .AddEmployeeStore<MyStore>()
            .AddAssignmentCatalog<UnitCatalog>();
    }

    public static void Configure(SyncProfile profile)
    {
        profile.Matching.UnitField = MatchingField.OfficeLocation;
        profile.Matching.UserTypeField = MatchingField.JobTitle;
        profile.Matching.UserTypeAliases["Mgr"] = "Manager";
    }
}

public sealed class MyDbContext(DbContextOptions<MyDbContext> options) : DbContext(options)
{
    public DbSet<NamedRow> Units => Set<NamedRow>("Units");

    public DbSet<NamedRow> UserTypes => Set<NamedRow>("UserTypes");
}

public sealed class NamedRow
{
    public int Id { get; set; }
    public string TenantId { get; set; } = "";
    public string Name { get; set; } = "";
}
