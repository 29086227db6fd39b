using System.Text.Json;
using EntraSync;
using EntraSync.Connectivity;
using EntraSync.Onboarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Signatures.Xink.Data;
using Signatures.Xink.Integration;

namespace Signatures.Xink.Pages;

/// <summary>Preferences › Integration › Azure AD: link the account, email rules, filters, "Delete Employees", Check connectivity.</summary>
public sealed class IntegrationModel(SignaturesDb db, IntegrationProfileProvider profiles, IDirectoryConnectivityChecker checker, AdminConsentVerifier consent, IConfiguration configuration) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public IntegrationSettings Settings { get; private set; } = null!;

    public ConnectivityReport? Connectivity { get; private set; }

    /// <summary>The own app registration as typed, when a check of it is shown (not saved).</summary>
    public OwnAppInput? OwnApp { get; private set; }

    /// <summary>The import filter's operators in words.</summary>
    public static readonly IReadOnlyList<SelectListItem> Operators =
    [
        new("equals", nameof(FilterOperator.EqualTo)),
        new("does not equal", nameof(FilterOperator.NotEqualTo)),
        new("starts with", nameof(FilterOperator.StartsWith)),
        new("ends with", nameof(FilterOperator.EndsWith)),
        new("contains", nameof(FilterOperator.Contains)),
        new("is one of (comma-separated)", nameof(FilterOperator.In)),
        new("matches the pattern", nameof(FilterOperator.MatchesRegex)),
        new("does not match the pattern", nameof(FilterOperator.NotMatchesRegex)),
        new("is empty", nameof(FilterOperator.IsNull)),
        new("is not empty", nameof(FilterOperator.IsNotNull)),
        new("is yes", nameof(FilterOperator.IsTrue)),
        new("is no", nameof(FilterOperator.IsFalse)),
        new("is greater than", nameof(FilterOperator.GreaterThan)),
        new("is less than", nameof(FilterOperator.LessThan)),
    ];

    /// <summary>Whether this product has its own multi-tenant app registration (EntraApp:ClientId in user secrets) for "Link Azure AD Account".</summary>
    public bool HasAppRegistration => !string.IsNullOrWhiteSpace(configuration["EntraApp:ClientId"]);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = await LoadAsync(cancellationToken);
        Input = SettingsInput.From(Settings);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        Settings = await LoadAsync(cancellationToken);
        Input.ApplyTo(Settings);
        Settings.FullSyncRequired = true;   // filters or email rules may have changed: re-evaluate everyone
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Integration saved. The next sync applies it.";
        return RedirectToPage();
    }

    /// <summary>Checks what is on the form, saved or not.</summary>
    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        Settings = await LoadAsync(cancellationToken);
        Input.ApplyTo(Settings);
        var profile = await profiles.CreateProfileAsync(db, Settings, cancellationToken);
        Connectivity = await checker.CheckConnectivityAsync(profile, cancellationToken);
        db.ChangeTracker.Clear();   // checking does not save the form
        Settings = await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// "Link Azure AD Account": the admin consents to this product's app for their organization. The state is signed and
    /// carries this account and the tenant chosen here, so the callback refuses an answer whose tenant= was edited.
    /// </summary>
    public IActionResult OnPostLink(string? tenant)
    {
        // The tenant to link must come from something the customer cannot edit on the way back. A product takes it from
        // its Microsoft sign-in (the admin's tid claim, e.g. User.FindFirst("tid")); this sample has no sign-in of its
        // own, so it links the demo tenant, or the tenant id entered next to the button when an app is registered.
        var tenantId = HasAppRegistration ? tenant?.Trim() : DemoTenant.TenantId;
        if (!Guid.TryParse(tenantId, out _))
        {
            TempData["Error"] = "Enter your organization's Directory (tenant) ID (a GUID, under Microsoft Entra ID > Overview), then press Link Azure AD Account.";
            return RedirectToPage();
        }

        var state = consent.CreateState(SignaturesApp.AccountId, tenantId!);
        var callback = new Uri($"{Request.Scheme}://{Request.Host}{Request.PathBase}/integration/consent");
        if (!HasAppRegistration)
        {
            // No app registration configured: a stand-in for Microsoft's consent screen that grants the demo tenant.
            return Redirect($"/DemoConsent?state={Uri.EscapeDataString(state)}&redirect_uri={Uri.EscapeDataString(callback.AbsoluteUri)}");
        }

        return Redirect(AdminConsent.BuildUrl(new AdminConsentRequest { ClientId = configuration["EntraApp:ClientId"]!, RedirectUri = callback, State = state, Tenant = tenantId! }).AbsoluteUri);
    }

    /// <summary>Check Connectivity on the own-app form: tests the typed tenant, Application ID and key; saves nothing.</summary>
    public async Task<IActionResult> OnPostCheckOwnAppAsync(string? tenant, string? clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        await CheckOwnAppAsync(tenant, clientId, clientSecret, cancellationToken);
        return Page();
    }

    /// <summary>"Use your own app registration": tenant, application id and key, as in the classic Xink setup. Saved only when they work.</summary>
    public async Task<IActionResult> OnPostOwnAppAsync(string? tenant, string? clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        if (!await CheckOwnAppAsync(tenant, clientId, clientSecret, cancellationToken))
        {
            return Page();
        }

        if (Connectivity!.Checks.FirstOrDefault(c => c.Name is ConnectivityCheckNames.Token or ConnectivityCheckNames.Organization or ConnectivityCheckNames.Users
                && c.Status == ConnectivityStatus.Failed) is { } failed)
        {
            TempData["Error"] = "Not saved: " + AdminMessages.Details(failed) + " The connection in use has not changed.";
            return Page();
        }

        Settings = await LoadAsync(cancellationToken);
        Settings.Connection = ConnectionKind.OwnApplication;
        Settings.EntraTenantId = tenant!.Trim();
        Settings.ClientId = clientId!.Trim();
        Settings.ClientSecret = string.IsNullOrWhiteSpace(clientSecret) ? Settings.ClientSecret : clientSecret.Trim();
        Settings.TenantName = Connectivity.Tenant is { } info ? info.InitialDomain ?? info.DefaultDomain ?? info.DisplayName : tenant.Trim();
        Settings.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Connected: using your app registration for {Settings.TenantName}. Press Sync now on the dashboard to import your employees.";
        return RedirectToPage();
    }

    /// <summary>Checks the typed own app registration, keeping what was typed on the form; <see langword="false"/> when something is missing.</summary>
    private async Task<bool> CheckOwnAppAsync(string? tenant, string? clientId, string? clientSecret, CancellationToken cancellationToken)
    {
        Settings = await LoadAsync(cancellationToken);
        Input = SettingsInput.From(Settings);
        OwnApp = new OwnAppInput(tenant?.Trim(), clientId?.Trim());
        if (string.IsNullOrWhiteSpace(tenant) || !Guid.TryParse(clientId, out _) || (string.IsNullOrWhiteSpace(clientSecret) && Settings.ClientSecret is null))
        {
            TempData["Error"] = "Enter the tenant (its id, or yourcompany.onmicrosoft.com), the Application ID (a GUID from the app registration's Overview page) and the key value.";
            return false;
        }

        var typed = await LoadAsync(cancellationToken);
        typed.Connection = ConnectionKind.OwnApplication;
        typed.EntraTenantId = tenant.Trim();
        typed.ClientId = clientId.Trim();
        typed.ClientSecret = string.IsNullOrWhiteSpace(clientSecret) ? typed.ClientSecret : clientSecret.Trim();
        var profile = await profiles.CreateProfileAsync(db, typed, cancellationToken);
        db.ChangeTracker.Clear();   // checking does not save what was typed
        Connectivity = await checker.CheckConnectivityAsync(profile, cancellationToken);
        Settings = await LoadAsync(cancellationToken);
        return true;
    }

    public async Task<IActionResult> OnPostUseDemoAsync(CancellationToken cancellationToken)
    {
        Settings = await LoadAsync(cancellationToken);
        Settings.Connection = ConnectionKind.DemoTenant;
        Settings.EntraTenantId = DemoTenant.TenantId;
        Settings.ClientId = Settings.ClientSecret = null;
        (Settings.TenantName, var problem) = await profiles.ReadTenantNameAsync(db, Settings, cancellationToken);
        Settings.FullSyncRequired = true;
        await db.SaveChangesAsync(cancellationToken);
        TempData[problem is null ? "Message" : "Error"] = problem ?? "Using the built-in demo tenant.";
        return RedirectToPage();
    }

    private async Task<IntegrationSettings> LoadAsync(CancellationToken cancellationToken) =>
        (await db.Integrations.FindAsync([SignaturesApp.AccountId], cancellationToken))!;

    /// <summary>The own-app form as typed (the key value is never shown back).</summary>
    public sealed record OwnAppInput(string? Tenant, string? ClientId);

    /// <summary>The settings form.</summary>
    public sealed class SettingsInput
    {
        public bool Enabled { get; set; }

        public bool UseProxyAddresses { get; set; }

        public bool UseOtherMails { get; set; }

        public bool UseUserPrincipalName { get; set; }

        public bool DeleteEmployees { get; set; }

        public bool PeopleOnly { get; set; }

        public string? ODataFilter { get; set; }

        public bool UseClientFilter { get; set; }

        public List<FilterRule> Rules { get; set; } = [];

        public static SettingsInput From(IntegrationSettings settings)
        {
            var rules = IntegrationProfileProvider.ReadRules(settings.ClientFilterRules);
            while (rules.Count < 3)
            {
                rules.Add(new FilterRule());
            }

            return new SettingsInput
            {
                Enabled = settings.Enabled,
                UseProxyAddresses = settings.UseProxyAddresses,
                UseOtherMails = settings.UseOtherMails,
                UseUserPrincipalName = settings.UseUserPrincipalName,
                DeleteEmployees = settings.DeleteEmployees,
                PeopleOnly = settings.PeopleOnly,
                ODataFilter = settings.ODataFilter,
                UseClientFilter = settings.UseClientFilter,
                Rules = rules,
            };
        }

        public void ApplyTo(IntegrationSettings settings)
        {
            settings.Enabled = Enabled;
            settings.UseProxyAddresses = UseProxyAddresses;
            settings.UseOtherMails = UseOtherMails;
            settings.UseUserPrincipalName = UseUserPrincipalName;
            settings.DeleteEmployees = DeleteEmployees;
            settings.PeopleOnly = PeopleOnly;
            settings.ODataFilter = string.IsNullOrWhiteSpace(ODataFilter) ? null : ODataFilter.Trim();
            settings.UseClientFilter = UseClientFilter;
            var rules = Rules.Where(r => !string.IsNullOrWhiteSpace(r.Property)).ToList();
            settings.ClientFilterRules = rules.Count == 0 ? null : JsonSerializer.Serialize(rules, IntegrationProfileProvider.Json);
        }
    }
}
