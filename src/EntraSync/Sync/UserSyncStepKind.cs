namespace EntraSync;

/// <summary>The steps of a single-user sync.</summary>
public enum UserSyncStepKind
{
    /// <summary>Read the user from the directory.</summary>
    Read,

    /// <summary>Decide whether the user is in the tenant's scope (filters, mandatory fields).</summary>
    Scope,

    /// <summary>Find the employee: linked by directory object id, or a local employee with the same email.</summary>
    Match,

    /// <summary>Decide the action: create, link, update, reactivate, remove, or nothing.</summary>
    Plan,

    /// <summary>Write the change to the employee store.</summary>
    Apply,
}
