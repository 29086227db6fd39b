using EntraSync.Email;

namespace EntraSync.Sync.Evaluation;

/// <summary>
/// The per-user step a sync run, a single-user sync and a preview share, so all three judge a user the same way:
/// email resolution, then the <see cref="IUserFilter"/>, the <see cref="IFieldMapper"/>, the
/// <see cref="IAssignmentMatcher"/> and the mandatory-field check. No I/O: what it needs was read with the user.
/// </summary>
/// <param name="mapper">The field mapper.</param>
/// <param name="filter">The user filter.</param>
/// <param name="matcher">The unit and user-type matcher.</param>
/// <param name="buildRecords">
/// Whether to build the <see cref="EmployeeRecord"/> and its content hash sync writes (a preview does not need them).
/// </param>
internal sealed class UserEvaluator(IFieldMapper mapper, IUserFilter filter, IAssignmentMatcher matcher, bool buildRecords = true)
{
    /// <summary>Judges one user (whose id the caller has checked) in the tenant's context. Never throws for a bad record.</summary>
    public UserEvaluation Evaluate(DirectoryUser user, SyncContext context)
    {
        var profile = context.Profile;
        string? email = null;
        try
        {
            email = EmailResolver.Resolve(user, profile.Email);
            var scope = filter.Evaluate(user, context);
            if (!scope.IsInScope)
            {
                return new UserEvaluation(user, email, scope);
            }

            var fields = mapper.Map(user, email, context);
            var match = matcher.Match(user, context);
            EmployeeRecord? record = null;
            string? hash = null;
            if (buildRecords)
            {
                record = new EmployeeRecord
                {
                    Email = email,
                    Fields = fields,
                    Assignment = match.Assignment,
                    PhotoETag = profile.Photos.Enabled ? user.Photo?.ETag : null,
                };
                hash = ContentHash.Compute(record);
            }

            var (skip, reason) = CheckMandatory(profile, email, fields);
            return new UserEvaluation(user, email, scope, fields, match, record, hash, skip, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new UserEvaluation(user, email, ScopeDecision.InScope, Skip: SkipReason.InvalidRecord, SkipText: $"the record could not be read: {ex.Message}", ReadFailed: true);
        }
    }

    /// <summary>The properties a read must select: what email resolution, mapper, filter and matcher read, plus id and display name.</summary>
    public static IReadOnlyCollection<string> RequiredProperties(SyncContext context, IFieldMapper mapper, IUserFilter filter, IAssignmentMatcher matcher)
    {
        var properties = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "id", "displayName" };
        properties.UnionWith(EmailResolver.GetRequiredProperties(context.Profile.Email));
        properties.UnionWith(mapper.GetRequiredProperties(context));
        properties.UnionWith(filter.GetRequiredProperties(context));
        properties.UnionWith(matcher.GetRequiredProperties(context));
        return properties;
    }

    /// <summary>The properties a read must select for this evaluator's mapper, filter and matcher.</summary>
    public IReadOnlyCollection<string> RequiredProperties(SyncContext context) => RequiredProperties(context, mapper, filter, matcher);

    /// <summary>Lets the matcher load what it needs (units, user types) before the first user is judged.</summary>
    public ValueTask PrepareAsync(SyncContext context, CancellationToken cancellationToken) => matcher.PrepareAsync(context, cancellationToken);

    /// <summary>The first mandatory field the user lacks, as a skip reason and words for the report.</summary>
    public static (SkipReason? Skip, string? Reason) CheckMandatory(SyncProfile profile, string? email, IReadOnlyDictionary<string, string?> fields)
    {
        foreach (var mandatory in profile.MandatoryFields)
        {
            if (string.Equals(mandatory, FieldNames.Email, StringComparison.OrdinalIgnoreCase))
            {
                if (string.IsNullOrWhiteSpace(email))
                {
                    return (SkipReason.MissingEmail, "missing email: no mail, proxy address or other mail" + (profile.Email.UseUserPrincipalName ? " or usable user principal name" : ""));
                }
            }
            else if (string.IsNullOrWhiteSpace(fields.GetValueOrDefault(mandatory)))
            {
                return (SkipReason.MissingMandatoryField, $"missing {mandatory.ToLowerInvariant()}");
            }
        }

        return (null, null);
    }
}
