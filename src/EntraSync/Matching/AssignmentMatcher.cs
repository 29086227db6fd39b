using EntraSync.Matching.Internal;

namespace EntraSync.Matching;

/// <summary>
/// The default <see cref="IAssignmentMatcher"/>, the Ziik-style rules: the unit comes from one directory field and
/// must name exactly one unit (no match, or several comma-separated units, gives no unit); user types come from another
/// field, comma-separated, and each value that names a user type is assigned while the others are ignored. Values
/// that match nothing are returned so the report can list them. Names come from the registered
/// <see cref="IAssignmentCatalog"/> and the profile's <see cref="AssignmentMatchingOptions.Units"/> and
/// <see cref="AssignmentMatchingOptions.UserTypes"/>, loaded once per run.
/// </summary>
public sealed class AssignmentMatcher : IAssignmentMatcher
{
    private readonly IAssignmentCatalog? _catalog;

    /// <summary>Initializes a new instance of the <see cref="AssignmentMatcher"/> class.</summary>
    /// <param name="catalog">The host's units and user types, or <see langword="null"/> to use only the names in the profile.</param>
    public AssignmentMatcher(IAssignmentCatalog? catalog = null)
    {
        _catalog = catalog;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRequiredProperties(SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var matching = context.Profile.Matching;
        return matching is { IsConfigured: true }
            ? [MatchingFields.GraphProperty(matching.UnitField), MatchingFields.GraphProperty(matching.UserTypeField)]
            : [];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Matching is configured but neither a catalog nor the profile supplies unit or user-type names.</exception>
    public async ValueTask PrepareAsync(SyncContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var matching = context.Profile.Matching;
        if (matching is not { IsConfigured: true })
        {
            context.Items.Remove(MatchState.ItemKey);
            return;
        }

        var units = new List<string>(matching.Units ?? []);
        var userTypes = new List<string>(matching.UserTypes ?? []);
        if (_catalog is not null)
        {
            units.AddRange(await _catalog.GetUnitsAsync(context.TenantId, cancellationToken).ConfigureAwait(false) ?? []);
            userTypes.AddRange(await _catalog.GetUserTypesAsync(context.TenantId, cancellationToken).ConfigureAwait(false) ?? []);
        }
        else if (!units.Any(n => !string.IsNullOrWhiteSpace(n)))
        {
            throw new InvalidOperationException(MatchingFields.NoNames("Matching", "unit", nameof(AssignmentMatchingOptions.Units)));
        }
        else if (!userTypes.Any(n => !string.IsNullOrWhiteSpace(n)))
        {
            throw new InvalidOperationException(MatchingFields.NoNames("Matching", "user-type", nameof(AssignmentMatchingOptions.UserTypes)));
        }

        context.Items[MatchState.ItemKey] = new MatchState(matching, units, userTypes);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="PrepareAsync"/> was not called for the run.</exception>
    public AssignmentMatch Match(DirectoryUser user, SyncContext context)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Profile.Matching is not { IsConfigured: true })
        {
            return AssignmentMatch.None;
        }

        if (!context.Items.TryGetValue(MatchState.ItemKey, out var item) || item is not MatchState state)
        {
            throw new InvalidOperationException("The assignment matcher was not prepared for this run. Call PrepareAsync(context) once before matching users.");
        }

        return state.Match(user);
    }
}
