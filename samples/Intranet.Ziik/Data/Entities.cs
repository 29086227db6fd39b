using EntraSync;

namespace Intranet.Ziik.Data;

/// <summary>A user of the intranet. Sync fills the columns mapped in IntranetApp; everything else is the intranet's own.</summary>
public sealed class Person
{
    public int Id { get; set; }

    public string TenantId { get; set; } = "";

    /// <summary>The Entra object id; null for people created in the intranet by hand.</summary>
    public string? DirectoryId { get; set; }

    public string? Email { get; set; }

    public string? NormalizedEmail { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? JobTitle { get; set; }

    public string? Department { get; set; }

    public string? City { get; set; }

    public string? CompanyName { get; set; }

    public string? StreetAddress { get; set; }

    public string? State { get; set; }

    public string? Country { get; set; }

    public string? OfficeLocation { get; set; }

    public string? PostalCode { get; set; }

    /// <summary>The manager's display name in Entra ID (<c>manager/displayName</c>); empty when the user has none.</summary>
    public string? Manager { get; set; }

    /// <summary>What sync last wrote (JSON), so it can tell which fields changed.</summary>
    public string? SyncedFields { get; set; }

    /// <summary>The unit and user types sync assigned (JSON), so it removes only those when they change.</summary>
    public string? SyncedAssignment { get; set; }

    public string? ContentHash { get; set; }

    /// <summary>Set when the user was deleted in Entra ID: soft deleted for 90 days, then removed.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public List<Membership> Memberships { get; set; } = [];

    public string Name => $"{FirstName} {LastName}".Trim() is { Length: > 0 } name ? name : Email ?? $"#{Id}";

    /// <summary>Whether sync linked this person to a directory user (created by sync, or created here and linked by email).</summary>
    public bool IsLinked => DirectoryId is not null;
}

public sealed class Unit
{
    public int Id { get; set; }

    public string TenantId { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class UserType
{
    public int Id { get; set; }

    public string TenantId { get; set; } = "";

    public string Name { get; set; } = "";
}

/// <summary>A person's user type in a unit. Sync adds and removes its own; memberships added by hand are never touched.</summary>
public sealed class Membership
{
    public int Id { get; set; }

    public int PersonId { get; set; }

    public Person Person { get; set; } = null!;

    public int UnitId { get; set; }

    public Unit Unit { get; set; } = null!;

    public int UserTypeId { get; set; }

    public UserType UserType { get; set; } = null!;
}

/// <summary>Integrations › Azure User Sync, as the platform administrator filled it in.</summary>
public sealed class IntegrationSettings
{
    public string TenantId { get; set; } = "";

    public string Name { get; set; } = "Azure User Sync";

    /// <summary>The Application (client) ID; empty for the demo tenant.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The Directory (tenant) ID; empty for the demo tenant.</summary>
    public string? DirectoryTenantId { get; set; }

    /// <summary>The client secret's value. A real product encrypts it; the form never shows it back.</summary>
    public string? Secret { get; set; }

    public MatchingField UnitField { get; set; } = MatchingField.City;

    public MatchingField UserTypeField { get; set; } = MatchingField.JobTitle;

    public bool Enabled { get; set; }

    /// <summary>An optional OData filter on which users are imported, e.g. <c>userType eq 'Member'</c>.</summary>
    public string? Filter { get; set; }

    /// <summary>Set when the settings change: the next run reads everyone again, not just the changes.</summary>
    public bool FullSyncRequired { get; set; } = true;

    public bool UsesDemoTenant => string.IsNullOrWhiteSpace(ApplicationId) && string.IsNullOrWhiteSpace(DirectoryTenantId) && string.IsNullOrWhiteSpace(Secret);
}
