namespace EntraSync;

/// <summary>Decides which directory users are in scope for the tenant (client-side filtering).</summary>
public interface IUserFilter
{
    /// <summary>Gets the directory properties the filter reads.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Evaluates one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="context">The run.</param>
    /// <returns>In scope, or out of scope with the rule that excluded the user.</returns>
    ScopeDecision Evaluate(DirectoryUser user, SyncContext context);
}
