using EntraSync.Filtering.Internal;

namespace EntraSync.Filtering;

/// <summary>
/// The default <see cref="IUserFilter"/>: applies the profile's <see cref="UserFilterOptions"/> with Entra's scoping
/// semantics. The "people only" preset is checked first, then the rule groups (rules in a group ANDed, groups ORed).
/// An excluded user's <see cref="ScopeDecision.Reason"/> names the preset part or the rule that excluded them, with
/// the user's value.
/// </summary>
public sealed class UserFilter : IUserFilter
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CompiledFilter.For(context).GetRequiredProperties();
    }

    /// <inheritdoc />
    public ScopeDecision Evaluate(DirectoryUser user, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(context);
        return CompiledFilter.For(context).Evaluate(user);
    }
}
