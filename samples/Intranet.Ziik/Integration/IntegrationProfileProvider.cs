using System.Runtime.CompilerServices;
using EntraSync;
using Intranet.Ziik.Data;
using Microsoft.EntityFrameworkCore;

namespace Intranet.Ziik.Integration;

/// <summary>Turns the integration form into an EntraSync profile; the engine asks for it at the start of every run.</summary>
public sealed class IntegrationProfileProvider(IServiceScopeFactory scopes, DemoTenant demo, LiveUpdates live, IConfiguration configuration) : ISyncProfileProvider
{
    public async ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        var settings = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (settings is null)
        {
            return null;
        }

        live.UseConnection(settings.UsesDemoTenant);   // saved settings: live updates follow the connection
        return await CreateProfileAsync(settings, cancellationToken);
    }

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntranetDb>();
        foreach (var settings in await db.Integrations.AsNoTracking().ToListAsync(cancellationToken))
        {
            live.UseConnection(settings.UsesDemoTenant);
            yield return await CreateProfileAsync(settings, cancellationToken);
        }
    }

    private async Task<SyncProfile> CreateProfileAsync(IntegrationSettings settings, CancellationToken cancellationToken)
    {
        var profile = new SyncProfile
        {
            TenantId = settings.TenantId,
            DisplayName = settings.Name,
            Enabled = settings.Enabled,
            Scope = { ODataFilter = string.IsNullOrWhiteSpace(settings.Filter) ? null : settings.Filter.Trim() },
            // Mandatory in Ziik: Email, First name and Last name; plus the nine fields units and user types can be matched from.
            Fields = { Fields = [.. ZiikFields.Mappings(), ZiikFields.ManagerMapping] },
            MandatoryFields = [ZiikFields.Email, ZiikFields.FirstName, ZiikFields.LastName],
            Matching = { UnitField = settings.UnitField, UserTypeField = settings.UserTypeField },
            Removal = { Mode = RemovalMode.SoftDelete, RetentionPeriod = TimeSpan.FromDays(90) },   // deactivated for 90 days
            Schedule = { Interval = TimeSpan.FromHours(1) },
        };

        if (settings.UsesDemoTenant)
        {
            var emulator = await demo.GetAsync(cancellationToken);
            profile.Connection.TenantId = DemoTenant.TenantId;
            profile.Connection.GraphBaseUrl = emulator.GraphBaseUrl;
            profile.Connection.AccessToken = emulator.CreateAccessToken(DemoTenant.TenantId);
        }
        else
        {
            profile.Connection.TenantId = settings.DirectoryTenantId;
            profile.Connection.ClientId = settings.ApplicationId;
            profile.Connection.ClientSecret = settings.Secret;

            // A national cloud signs in elsewhere (for example https://login.microsoftonline.us/ for US Government).
            if (configuration["EntraApp:AuthorityHost"] is { Length: > 0 } authority)
            {
                profile.Connection.AuthorityHost = authority;
            }
        }

        return profile;
    }
}
