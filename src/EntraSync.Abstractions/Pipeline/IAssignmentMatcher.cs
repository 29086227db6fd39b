namespace EntraSync;

/// <summary>Matches a directory user to the host's units and user types.</summary>
public interface IAssignmentMatcher
{
    /// <summary>Gets the directory properties the matcher reads.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Called once at the start of a run, before any <see cref="Match"/>; loads what the run needs (the host's units).</summary>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the matcher is ready.</returns>
    ValueTask PrepareAsync(SyncContext context, CancellationToken cancellationToken = default);

    /// <summary>Matches one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="context">The run.</param>
    /// <returns>The assignment and the directory values that matched nothing.</returns>
    AssignmentMatch Match(DirectoryUser user, SyncContext context);
}
