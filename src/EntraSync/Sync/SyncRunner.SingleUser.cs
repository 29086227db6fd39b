using EntraSync.Email;
using EntraSync.Profiles;
using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Running;

namespace EntraSync.Sync;

/// <summary>Single-user sync ("provision on demand"): one user through the same pipeline as a run, step by step.</summary>
internal sealed partial class SyncRunner
{
    public async Task<UserSyncResult> SyncUserAsync(string tenantId, string user, UserSyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        options ??= new UserSyncOptions();
        user = user.Trim();
        var runId = NewRunId();
        using var scope = _telemetry.StartRun("EntraSync.SyncUser", tenantId, runId, SyncTrigger.SingleUser, SyncMode.Incremental, options.DryRun);
        var result = await SyncUserCoreAsync(tenantId, user, options.DryRun, runId, cancellationToken).ConfigureAwait(false);
        scope.Activity?.SetTag("entrasync.user.outcome", result.Outcome.ToString());
        Log.UserSynced(_logger, tenantId, runId, result.DirectoryId ?? "(not found)", result.Outcome, result.Action?.ToString() ?? "none", options.DryRun);
        return result;
    }

    private async Task<UserSyncResult> SyncUserCoreAsync(string tenantId, string user, bool dryRun, string runId, CancellationToken cancellationToken)
    {
        var steps = new List<UserSyncStep>();
        UserSyncResult Result(UserSyncOutcome outcome, string? error = null, string? directoryId = null, string? email = null, UserOutcome? userOutcome = null) => new()
        {
            TenantId = tenantId,
            RunId = runId,
            User = user,
            Outcome = outcome,
            DirectoryId = directoryId,
            Email = email ?? userOutcome?.Email,
            Action = userOutcome?.Action,
            IsDryRun = dryRun,
            Steps = steps,
            UserOutcome = userOutcome,
            Errors = error is null ? [] : [error],
        };

        var profile = await _profiles.GetProfileAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            return Result(UserSyncOutcome.Failed, $"No profile is configured for tenant '{tenantId}'. Add it to EntraSync:Tenants or to your ISyncProfileProvider.");
        }

        var problems = SyncProfileValidator.Validate(profile);
        if (problems.Count > 0)
        {
            return Result(UserSyncOutcome.Failed, "The tenant's profile is invalid: " + string.Join(" ", problems));
        }

        if (!profile.Enabled)
        {
            return Result(UserSyncOutcome.Disabled, $"Sync is disabled for tenant '{tenantId}' (Enabled is false in its profile).");
        }

        var startedAt = _time.GetUtcNow();
        if (!_running.TryAdd(tenantId, runId))
        {
            return Result(UserSyncOutcome.AlreadyRunning, $"A sync for tenant '{tenantId}' is already running (run {_running.GetValueOrDefault(tenantId)}); sync the user when it has finished.");
        }

        try
        {
            var (lease, attempt) = await TenantLease.TryAcquireAsync(_services.State, tenantId, runId, _options.CurrentValue.RunLeaseDuration, _time, _logger, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                return Result(UserSyncOutcome.AlreadyRunning, $"A sync for tenant '{tenantId}' is already running in another process (run {attempt.HeldBy}); sync the user when it has finished. {TenantLease.WaitHint(attempt)}");
            }

            await using (lease.ConfigureAwait(false))
            {
                using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                var context = new SyncContext
                {
                    TenantId = tenantId,
                    RunId = runId,
                    Profile = profile,
                    Mode = SyncMode.Incremental,
                    IsDryRun = dryRun,
                    StartedAt = startedAt,
                };
                try
                {
                    return await SyncOneAsync(context, user, steps, Result, lease.Generation, work.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (lease.LostReason is not null && ex is OperationCanceledException or StaleLeaseException)
                {
                    return Result(UserSyncOutcome.Failed, $"The single-user sync stopped writing because {lease.LostReason}. Sync the user again.");
                }
            }
        }
        finally
        {
            _running.TryRemove(tenantId, out _);
        }
    }

    private async Task<UserSyncResult> SyncOneAsync(
        SyncContext context,
        string query,
        List<UserSyncStep> steps,
        Func<UserSyncOutcome, string?, string?, string?, UserOutcome?, UserSyncResult> result,
        long leaseGeneration,
        CancellationToken cancellationToken)
    {
        var tenantId = context.TenantId;
        var profile = context.Profile;
        void Step(UserSyncStepKind kind, UserSyncStepStatus status, string detail) => steps.Add(new UserSyncStep { Kind = kind, Status = status, Detail = detail });

        // Read.
        DirectoryUserLookup lookup;
        try
        {
            await _services.Matcher.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            var request = new DirectoryReadRequest { Context = context, Mode = SyncMode.Incremental, Properties = UserEvaluator.RequiredProperties(context, _services.Mapper, _services.Filter, _services.Matcher) };
            lookup = await _services.Source.GetUserAsync(request, query, cancellationToken).ConfigureAwait(false) ?? DirectoryUserLookup.NotFound;
        }
        catch (DirectoryException ex)
        {
            Step(UserSyncStepKind.Read, UserSyncStepStatus.Failed, ex.Message);
            return result(UserSyncOutcome.Failed, ex.Message + " Nobody was changed.", null, null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.RunFailed(_logger, ex, tenantId, context.RunId);
            Step(UserSyncStepKind.Read, UserSyncStepStatus.Failed, ex.Message);
            return result(UserSyncOutcome.Failed, $"The user could not be read: {ex.Message} Nobody was changed.", null, null, null);
        }

        var found = lookup.User;
        var run = new SyncRun(context, _services, _options.CurrentValue.WriteBatchSize, leaseGeneration);
        try
        {
            if (found is null)
            {
                Step(UserSyncStepKind.Read, UserSyncStepStatus.Skipped, $"the directory has no user '{query}'");
                var stored = await _services.Store.FindAsync(tenantId, [query], [query], cancellationToken).ConfigureAwait(false);
                var linked = stored.FirstOrDefault(e => string.Equals(e.DirectoryId, query, StringComparison.OrdinalIgnoreCase));
                if (linked is null)
                {
                    var byEmail = stored.FirstOrDefault(e => e.DirectoryId is not null && string.Equals(e.Email?.Trim(), query, StringComparison.OrdinalIgnoreCase));
                    var hint = byEmail is null
                        ? "no employee is linked to it; nothing to do"
                        : $"employee {byEmail.Key} with that email is linked to directory user {byEmail.DirectoryId}; a lookup by UPN or email does not prove the user left, so nobody was removed (sync '{byEmail.DirectoryId}' by object id to remove it if it left)";
                    Step(UserSyncStepKind.Match, UserSyncStepStatus.Skipped, hint);
                    return result(UserSyncOutcome.NotFound, null, null, null, null);
                }

                Step(UserSyncStepKind.Match, UserSyncStepStatus.Succeeded, $"employee {linked.Key} is linked to directory user {linked.DirectoryId}{(linked.IsActive ? "" : " (already deactivated)")}");
                if (linked.IsActive)
                {
                    run.AddRemoval(linked, RemovalCause.NotInDirectory);
                }

                await run.FinishOneAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return Finish(run, linked.DirectoryId, linked.Email);
            }

            var email = EmailResolver.Resolve(found, profile.Email);
            Step(UserSyncStepKind.Read, UserSyncStepStatus.Succeeded, $"found {found.GetString("displayName") ?? found.Id} ({found.Id})");
            if (lookup.OutOfScopeReason is { } directoryScope)
            {
                // Outside the directory scope (Scope:ODataFilter, Scope:GroupIds): a full read would not return the user,
                // so it is handled as a full read's scope exit: nobody is created, a linked employee is removed.
                Step(UserSyncStepKind.Scope, UserSyncStepStatus.Skipped, $"out of scope: {directoryScope}");
                var linkedOut = (await _services.Store.FindAsync(tenantId, [found.Id], [], cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(e => string.Equals(e.DirectoryId, found.Id, StringComparison.OrdinalIgnoreCase));
                Step(UserSyncStepKind.Match, linkedOut is null ? UserSyncStepStatus.Skipped : UserSyncStepStatus.Succeeded, linkedOut is null
                    ? "no employee is linked to the user"
                    : $"employee {linkedOut.Key} is linked to the user{(linkedOut.IsActive ? "" : " (already deactivated)")}");
                await run.ProcessPageAsync(new DirectoryPage { OutOfScope = [new DirectoryScopeExit { Id = found.Id, Reason = directoryScope }] }, cancellationToken).ConfigureAwait(false);
                await run.FinishOneAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return Finish(run, found.Id, email);
            }

            var scope = _services.Filter.Evaluate(found, context);
            Step(UserSyncStepKind.Scope, scope.IsInScope ? UserSyncStepStatus.Succeeded : UserSyncStepStatus.Skipped, scope.IsInScope ? "in scope" : $"out of scope: {scope.Reason}");

            var candidates = await _services.Store.FindAsync(tenantId, [found.Id], email is null ? [] : [email], cancellationToken).ConfigureAwait(false);
            var employee = candidates.FirstOrDefault(e => string.Equals(e.DirectoryId, found.Id, StringComparison.OrdinalIgnoreCase));
            var local = candidates.FirstOrDefault(e => e.DirectoryId is null && string.Equals(e.Email?.Trim(), email?.Trim(), StringComparison.OrdinalIgnoreCase));
            var other = candidates.FirstOrDefault(e => e.DirectoryId is not null && e.IsActive && !string.Equals(e.DirectoryId, found.Id, StringComparison.OrdinalIgnoreCase));
            Step(UserSyncStepKind.Match, employee is null && local is null ? UserSyncStepStatus.Skipped : UserSyncStepStatus.Succeeded, (employee, local, other) switch
            {
                ({ } e, _, _) => $"employee {e.Key} is linked to the user{(e.IsActive ? "" : " (deactivated)")}",
                (null, { } l, _) => $"local employee {l.Key} has the same email",
                (null, null, { } o) => $"no employee is linked; employee {o.Key} (directory user {o.DirectoryId}) holds the email",
                _ => "no employee is linked and none has the email",
            });

            await run.ProcessPageAsync(new DirectoryPage { Users = [found] }, cancellationToken).ConfigureAwait(false);
            await run.FinishOneAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return Finish(run, found.Id, email);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Step(steps.Count > 0 && steps[^1].Kind == UserSyncStepKind.Plan ? UserSyncStepKind.Apply : UserSyncStepKind.Plan, UserSyncStepStatus.Failed, "cancelled");
            return result(UserSyncOutcome.Failed, "The sync was cancelled. A change already written is kept.", found?.Id, null, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RunFailed(_logger, ex, tenantId, context.RunId);
            var atApply = run.Ledger.Outcomes.Count > 0 || run.Ledger.Unchanged > 0 || run.Ledger.Uncommitted.Any();
            if (atApply)
            {
                AddPlan(run, steps);
            }

            Step(atApply ? UserSyncStepKind.Apply : UserSyncStepKind.Plan, UserSyncStepStatus.Failed, ex.Message);
            return result(UserSyncOutcome.Failed, $"The sync of the user failed: {ex.Message}", found?.Id, null, null);
        }

        UserSyncResult Finish(SyncRun done, string? directoryId, string? email)
        {
            var outcome = AddPlan(done, steps);
            var writes = outcome?.Action is UserAction.Created or UserAction.Linked or UserAction.Updated or UserAction.Reactivated or UserAction.Deactivated or UserAction.Deleted;
            if (!writes)
            {
                Step(UserSyncStepKind.Apply, UserSyncStepStatus.Skipped, "nothing to write");
            }
            else if (context.IsDryRun)
            {
                Step(UserSyncStepKind.Apply, UserSyncStepStatus.Skipped, "dry run: nothing written");
            }
            else
            {
                Step(UserSyncStepKind.Apply, UserSyncStepStatus.Succeeded, "written to the employee store");
            }

            return result(UserSyncOutcome.Succeeded, null, directoryId, email, outcome);
        }
    }

    /// <summary>Adds the plan step from what the run decided; returns the user's outcome (null when unchanged).</summary>
    private static UserOutcome? AddPlan(SyncRun run, List<UserSyncStep> steps)
    {
        var outcomes = run.Ledger.Outcomes.Concat(run.Ledger.Uncommitted).ToList();
        var outcome = outcomes.LastOrDefault(o => o.Action != UserAction.OutOfScope) ?? outcomes.LastOrDefault();
        var (status, detail) = outcome switch
        {
            null => (UserSyncStepStatus.Skipped, "no change: the employee is up to date"),
            { Action: UserAction.Skipped } o => (UserSyncStepStatus.Skipped, "skipped: " + o.Reason),
            { Action: UserAction.OutOfScope } o => (UserSyncStepStatus.Skipped, "no employee to remove: " + o.Reason),
            { Action: UserAction.Kept } o => (UserSyncStepStatus.Skipped, o.Reason ?? "kept"),
            { Action: UserAction.Updated } o => (UserSyncStepStatus.Succeeded, o.ChangedFields.Count == 0 ? "update" : "update " + string.Join(", ", o.ChangedFields.Select(f => f.Field))),
            { } o => (UserSyncStepStatus.Succeeded, o.Action.ToString().ToLowerInvariant() + (o.Reason is null ? "" : ": " + o.Reason)),
        };
        steps.Add(new UserSyncStep { Kind = UserSyncStepKind.Plan, Status = status, Detail = detail });
        return outcome;
    }
}
