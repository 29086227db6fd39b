namespace Signatures.Xink.Data;

/// <summary>Preferences > Integration > Azure AD, as the customer's admin saved it.</summary>
public sealed class IntegrationSettings
{
    public string AccountId { get; set; } = "";

    /// <summary>"Enable Azure AD user synchronization".</summary>
    public bool Enabled { get; set; } = true;

    public ConnectionKind Connection { get; set; } = ConnectionKind.DemoTenant;

    /// <summary>The customer's Entra tenant id (from admin consent, or typed in with their own app registration).</summary>
    public string? EntraTenantId { get; set; }

    /// <summary>Filled in automatically from Graph's organization after linking.</summary>
    public string? TenantName { get; set; }

    /// <summary>The customer's own app registration (only for <see cref="ConnectionKind.OwnApplication"/>).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The customer's client secret. A real product encrypts it (ASP.NET Core Data Protection or a key vault); the page
    /// never shows it back.
    /// </summary>
    public string? ClientSecret { get; set; }

    public bool UseProxyAddresses { get; set; } = true;

    public bool UseOtherMails { get; set; } = true;

    /// <summary>"Try to use User Principal Name as Email": off by default, not recommended.</summary>
    public bool UseUserPrincipalName { get; set; }

    /// <summary>Server-side filter, e.g. <c>accountEnabled eq true and userType eq 'Member'</c>.</summary>
    public string? ODataFilter { get; set; }

    /// <summary>"Use import filter": the client-side rules below must all hold.</summary>
    public bool UseClientFilter { get; set; }

    /// <summary>The client-side rules as JSON (a list of EntraSync <c>FilterRule</c>).</summary>
    public string? ClientFilterRules { get; set; }

    /// <summary>Skip rooms, shared mailboxes, service accounts, guests and disabled accounts.</summary>
    public bool PeopleOnly { get; set; } = true;

    /// <summary>"Delete Employees": remove employees who left the directory or the filters.</summary>
    public bool DeleteEmployees { get; set; } = true;

    /// <summary>Set when filters, fields or email rules change: the next run reads everyone again, not just the changes.</summary>
    public bool FullSyncRequired { get; set; } = true;
}

public enum ConnectionKind
{
    /// <summary>The built-in demo tenant (no credentials needed).</summary>
    DemoTenant,

    /// <summary>Linked through admin consent to this product's multi-tenant app registration.</summary>
    LinkedAccount,

    /// <summary>The customer's own app registration: tenant, application id and secret.</summary>
    OwnApplication,
}
