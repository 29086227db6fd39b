using EntraSync.Profiles;
using EntraSync.Sync.Evaluation;

namespace EntraSync.Preview;

/// <summary>
/// The default <see cref="ISyncPreview"/>: reads the tenant's directory in full through the registered
/// <see cref="IDirectorySource"/> and runs email resolution, the <see cref="IUserFilter"/>, the
/// <see cref="IFieldMapper"/>, the <see cref="IAssignmentMatcher"/> and the mandatory-field check on every user. It
/// never touches the employee store or the sync state.
/// </summary>
public sealed class SyncPreview : ISyncPreview
{
    private readonly IDirectorySource _source;
    private readonly IFieldMapper _mapper;
    private readonly IUserFilter _filter;
    private readonly IAssignmentMatcher _matcher;
    private readonly ISyncProfileProvider _profiles;
    private readonly TimeProvider _time;
    private readonly UserEvaluator _evaluator;

    /// <summary>Initializes a new instance of the <see cref="SyncPreview"/> class.</summary>
    /// <param name="source">The directory.</param>
    /// <param name="mapper">The field mapper.</param>
    /// <param name="filter">The user filter.</param>
    /// <param name="matcher">The unit and user-type matcher.</param>
    /// <param name="profiles">The tenants' profiles.</param>
    /// <param name="time">The clock, for the context's start time.</param>
    public SyncPreview(IDirectorySource source, IFieldMapper mapper, IUserFilter filter, IAssignmentMatcher matcher, ISyncProfileProvider profiles, TimeProvider time)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _mapper = mapper ?? throw new ArgumentNullException(nameof(mapper));
        _filter = filter ?? throw new ArgumentNullException(nameof(filter));
        _matcher = matcher ?? throw new ArgumentNullException(nameof(matcher));
        _profiles = profiles ?? throw new ArgumentNullException(nameof(profiles));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _evaluator = new UserEvaluator(mapper, filter, matcher, buildRecords: false);
    }

    /// <inheritdoc />
    public async Task<SyncPreviewResult> PreviewAsync(string tenantId, SyncPreviewOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return profile is null
            ? new SyncPreviewResult { TenantId = tenantId, Errors = [$"No profile is configured for tenant '{tenantId}'. Add it to EntraSync:Tenants or to your ISyncProfileProvider."] }
            : await PreviewAsync(profile, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SyncPreviewResult> PreviewAsync(SyncProfile profile, SyncPreviewOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new SyncPreviewOptions();
        var problems = SyncProfileValidator.Validate(profile);
        if (problems.Count > 0)
        {
            return new SyncPreviewResult { TenantId = profile.TenantId, Errors = ["The tenant's profile is invalid: " + string.Join(" ", problems)] };
        }

        var context = new SyncContext
        {
            TenantId = profile.TenantId,
            RunId = "preview-" + Guid.NewGuid().ToString("N"),
            Profile = profile,
            Mode = SyncMode.Full,
            IsDryRun = true,
            StartedAt = _time.GetUtcNow(),
        };
        var tally = new Internal.PreviewTally(options);
        IReadOnlyCollection<string> properties = [];
        var errors = new List<string>();
        var warnings = new List<string>();
        var complete = false;
        try
        {
            properties = _evaluator.RequiredProperties(context);
            await _evaluator.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            var request = new DirectoryReadRequest { Context = context, Mode = SyncMode.Full, Properties = properties };
            await foreach (var page in _source.ReadUsersAsync(request, cancellationToken).ConfigureAwait(false))
            {
                foreach (var rejected in page.Rejected)
                {
                    tally.Add(new UserPreview { DirectoryId = rejected.Id, Outcome = UserPreviewOutcome.Skipped, SkipReason = SkipReason.InvalidRecord, Reason = rejected.Reason }, read: false);
                }

                foreach (var user in page.Users)
                {
                    tally.Add(Evaluate(user, context, tally));
                }

                if (page.Completion is not null)
                {
                    complete = true;
                    warnings.AddRange(page.Completion.Warnings);
                }
            }

            if (!complete)
            {
                errors.Add("The directory read ended before the source reported it complete, so the preview shows only part of the directory.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DirectoryException ex)
        {
            errors.Add(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            errors.Add($"The preview failed: {ex.Message}");
        }

        return tally.ToResult(profile.TenantId, complete && errors.Count == 0, properties, warnings, errors);
    }

    private UserPreview Evaluate(DirectoryUser user, SyncContext context, Internal.PreviewTally tally)
    {
        if (user is null || string.IsNullOrWhiteSpace(user.Id))
        {
            return new UserPreview { Outcome = UserPreviewOutcome.Skipped, SkipReason = SkipReason.InvalidRecord, Reason = "the directory record has no id" };
        }

        // The same evaluation a sync run makes; the preview adds only the duplicate-email check sync makes when planning.
        var displayName = user.GetString("displayName");
        var evaluation = _evaluator.Evaluate(user, context);
        if (!evaluation.Scope.IsInScope)
        {
            return new UserPreview { DirectoryId = user.Id, DisplayName = displayName, Email = evaluation.Email, Outcome = UserPreviewOutcome.OutOfScope, Reason = evaluation.Scope.Reason };
        }

        if (evaluation.ReadFailed)
        {
            return new UserPreview
            {
                DirectoryId = user.Id,
                DisplayName = displayName,
                Email = evaluation.Email,
                Outcome = UserPreviewOutcome.Skipped,
                SkipReason = evaluation.Skip,
                Reason = evaluation.SkipText,
            };
        }

        var match = evaluation.Match!;
        var (skip, reason) = evaluation.Skip is { } mandatory ? (mandatory, evaluation.SkipText) : tally.CheckDuplicate(user.Id, evaluation.Email);
        if (skip is null)
        {
            tally.RecordUnmatched(match);
        }

        return new UserPreview
        {
            DirectoryId = user.Id,
            DisplayName = displayName,
            Email = evaluation.Email,
            Outcome = skip is null ? UserPreviewOutcome.Imported : UserPreviewOutcome.Skipped,
            SkipReason = skip,
            Reason = reason,
            Fields = evaluation.Fields!,
            Assignment = ReferenceEquals(match, AssignmentMatch.None) ? null : match.Assignment,
            AssignmentNote = match.Note,
        };
    }
}
