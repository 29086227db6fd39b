namespace EntraSync.Connectivity;

/// <summary>The names of the connectivity checks, in the order they run.</summary>
public static class ConnectivityCheckNames
{
    /// <summary>Getting an access token from Entra ID with the configured credentials.</summary>
    public const string Token = "Token";

    /// <summary>Reading the organization (tenant name and default domain).</summary>
    public const string Organization = "Organization";

    /// <summary>Reading users (User.Read.All).</summary>
    public const string Users = "Users";

    /// <summary>Reading the configured groups' members (GroupMember.Read.All).</summary>
    public const string Groups = "Groups";

    /// <summary>Reading profile photos (ProfilePhoto.Read.All), when photos are enabled.</summary>
    public const string Photos = "Photos";

    /// <summary>Running the tenant's OData filter with <c>$top=1</c>.</summary>
    public const string Filter = "Filter";
}
