using System.Runtime.CompilerServices;
using System.Text.Json;
using EntraSync;
using EntraSync.Connectivity;
using Microsoft.EntityFrameworkCore;
using Signatures.Xink.Data;

namespace Signatures.Xink.Integration;

/// <summary>
/// Turns what the admin saved on the Integration and Fields pages into an EntraSync profile. The engine asks for it at
/// the start of every run, so a saved change applies to the next sync.
/// </summary>
public sealed class IntegrationProfileProvider(IServiceScopeFactory scopes, DemoTenant demo, LiveUpdates live, IConfiguration configuration, IDirectoryConnectivityChecker checker, ILogger<IntegrationProfileProvider> logger) : ISyncProfileProvider
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public async ValueTask<SyncProfile?> GetProfileAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignaturesDb>();
        var settings = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == tenantId, cancellationToken);
        if (settings is null)
        {
            return null;
        }

        live.UseConnection(settings.Connection == ConnectionKind.DemoTenant);   // saved settings: live updates follow the connection
        return await CreateProfileAsync(db, settings, cancellationToken);
    }

    public async IAsyncEnumerable<SyncProfile> GetProfilesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignaturesDb>();
        foreach (var settings in await db.Integrations.AsNoTracking().ToListAsync(cancellationToken))
        {
            live.UseConnection(settings.Connection == ConnectionKind.DemoTenant);
            yield return await CreateProfileAsync(db, settings, cancellationToken);
        }
    }

    /// <summary>Builds the profile for settings that may not be saved yet (Check connectivity tests what is on the form).</summary>
    public async Task<SyncProfile> CreateProfileAsync(SignaturesDb db, IntegrationSettings settings, CancellationToken cancellationToken = default)
    {
        var fields = await db.Fields.AsNoTracking().Where(f => f.AccountId == settings.AccountId).OrderBy(f => f.Position).ToListAsync(cancellationToken);
        var rules = ReadRules(settings.ClientFilterRules);
        var profile = new SyncProfile
        {
            TenantId = settings.AccountId,
            DisplayName = settings.TenantName,
            Enabled = settings.Enabled,
            Email =
            {
                UseProxyAddresses = settings.UseProxyAddresses,
                UseOtherMails = settings.UseOtherMails,
                UseUserPrincipalName = settings.UseUserPrincipalName,
            },
            Scope = { ODataFilter = string.IsNullOrWhiteSpace(settings.ODataFilter) ? null : settings.ODataFilter.Trim() },
            Filter =
            {
                PeopleOnly = { Enabled = settings.PeopleOnly },
                Groups = settings.UseClientFilter && rules.Count > 0 ? [new FilterGroup { Name = "Import filter", Rules = rules }] : [],
            },
            Fields = { Fields = [.. fields.Select(f => new FieldMapping { Name = f.Name, Source = f.Source })] },
            MandatoryFields = fields.Any(f => f.Name == FieldNames.Email) ? [FieldNames.Email] : [],
            Photos = { Enabled = fields.Any(f => f.Source == FieldMapping.PhotoSource) },
            Removal = { Mode = settings.DeleteEmployees ? RemovalMode.Delete : RemovalMode.Keep },
            Schedule = { Interval = TimeSpan.FromHours(2) },
        };

        switch (settings.Connection)
        {
            case ConnectionKind.DemoTenant:
                var emulator = await demo.GetAsync(cancellationToken);
                profile.Connection.TenantId = DemoTenant.TenantId;
                profile.Connection.GraphBaseUrl = emulator.GraphBaseUrl;
                profile.Connection.AccessToken = emulator.CreateAccessToken(DemoTenant.TenantId);
                profile.Photos.Size = null;   // the emulator serves the full-size photo only
                break;
            case ConnectionKind.LinkedAccount:
                // This product's own multi-tenant app registration, which the customer's admin consented to.
                profile.Connection.TenantId = settings.EntraTenantId;
                profile.Connection.ClientId = configuration["EntraApp:ClientId"];
                profile.Connection.ClientSecret = configuration["EntraApp:ClientSecret"];
                break;
            case ConnectionKind.OwnApplication:
                profile.Connection.TenantId = settings.EntraTenantId;
                profile.Connection.ClientId = settings.ClientId;
                profile.Connection.ClientSecret = settings.ClientSecret;
                break;
        }

        // A national cloud signs in elsewhere (for example https://login.microsoftonline.us/ for US Government).
        if (settings.Connection != ConnectionKind.DemoTenant && configuration["EntraApp:AuthorityHost"] is { Length: > 0 } authority)
        {
            profile.Connection.AuthorityHost = authority;
        }

        return profile;
    }

    /// <summary>"After connecting, the Tenant Name will populate automatically": read from Graph's organization.</summary>
    public async Task<(string? Name, string? Problem)> ReadTenantNameAsync(SignaturesDb db, IntegrationSettings settings, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = await checker.GetTenantInfoAsync(await CreateProfileAsync(db, settings, cancellationToken), cancellationToken);
            return (info.InitialDomain ?? info.DefaultDomain ?? info.DisplayName, null);
        }
        catch (DirectoryException ex)
        {
            logger.LogWarning(ex, "Reading the tenant name failed ({Kind})", ex.Kind);
            return (null, "The tenant name could not be read, so the tenant id is shown instead: " + AdminMessages.Why(ex.Kind.ToString()));
        }
    }

    public static List<FilterRule> ReadRules(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<FilterRule>>(json, Json) ?? [];
}
