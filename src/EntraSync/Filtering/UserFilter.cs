namespace EntraSync.Filtering;

/// <summary>The default <see cref="IUserFilter"/>: applies the profile's <see cref="UserFilterOptions"/>.</summary>
public sealed class UserFilter : IUserFilter
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context) => [];

    /// <inheritdoc />
    public ScopeDecision Evaluate(DirectoryUser user, SyncContext context) => ScopeDecision.InScope;
}
