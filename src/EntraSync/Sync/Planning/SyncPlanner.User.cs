using EntraSync.Sync.Evaluation;

namespace EntraSync.Sync.Planning;

/// <summary>One user's change: the reconcile rules (linked by id, first link by email, duplicate emails).</summary>
internal sealed partial class SyncPlanner
{
    private EmployeeChange? PlanUser(UserEvaluation candidate, StoredEmployee? linked, Dictionary<string, List<StoredEmployee>> byEmail, bool final)
    {
        var linkedKeys = _linkedKeys;
        var pageEmails = _pageEmails;
        var user = candidate.User;
        var displayName = user.GetString("displayName");
        if (!candidate.Scope.IsInScope)
        {
            ledger.Record(new UserOutcome { DirectoryId = user.Id, Email = candidate.Email, DisplayName = displayName, Action = UserAction.OutOfScope, Reason = candidate.Scope.Reason });
            if (linked is { IsActive: true })
            {
                memory.PendingRemovals[user.Id] = new PendingRemoval(linked, RemovalCause.OutOfScope, candidate.Scope.Reason);
            }

            return null;
        }

        if (candidate.Skip is { } skip)
        {
            ledger.Record(new UserOutcome { DirectoryId = user.Id, Email = candidate.Email, DisplayName = displayName, Action = UserAction.Skipped, SkipReason = skip, Reason = candidate.SkipText });
            return null;
        }

        var record = candidate.Record!;
        ledger.RecordUnmatched(candidate.Match!);
        var emailKey = record.Email?.Trim();
        var now = context.StartedAt;
        if (linked is not null)
        {
            if (emailKey is not null)
            {
                memory.EmailOwners.Claim(EmailClaims.KeyOf(emailKey), user.Id);
            }

            if (linked.IsActive && string.Equals(linked.ContentHash, candidate.Hash, StringComparison.Ordinal))
            {
                ledger.Unchanged++;
                return null;
            }

            NotePhoto(user.Id, record, linked.PhotoETag);
            var diff = ContentHash.Diff(record, linked);
            var kind = linked.IsActive ? EmployeeChangeKind.Update : EmployeeChangeKind.Reactivate;
            var action = linked.IsActive ? UserAction.Updated : UserAction.Reactivated;
            if (linked.IsActive && diff.Count == 0 && string.Equals(linked.PhotoETag, record.PhotoETag, StringComparison.Ordinal))
            {
                // Only the stored hash is stale (for example after an upgrade changed how it is computed): refresh it quietly.
                action = UserAction.Updated;
            }

            CountAssignment(candidate);
            ledger.Plan(user.Id, action, ledger.HasRoom ? new UserOutcome
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = action,
                ChangedFields = diff,
                Assignment = record.Assignment,
                Reason = kind == EmployeeChangeKind.Reactivate ? "back in the directory within the retention period" : candidate.Match?.Note,
            } : null);

            return new EmployeeChange
            {
                Kind = kind,
                DirectoryId = user.Id,
                Key = linked.Key,
                Record = record,
                ContentHash = candidate.Hash,
                ChangedFields = diff,
                PreviousAssignment = linked.Assignment,
                Timestamp = now,
                Reason = kind == EmployeeChangeKind.Reactivate ? "back in the directory within the retention period" : null,
            };
        }

        StoredEmployee? local = null;
        if (emailKey is not null)
        {
            UserOutcome Duplicate(string other) => new()
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = UserAction.Skipped,
                SkipReason = SkipReason.DuplicateEmail,
                Reason = $"two directory users have the email {record.Email}: this one and {other}",
            };

            var claim = EmailClaims.KeyOf(emailKey);
            if (!memory.EmailOwners.IsOwnedBy(claim, user.Id) && memory.EmailOwners.TryGetOwner(claim, out var owner))
            {
                ledger.Record(Duplicate(owner));
                return null;
            }

            if (byEmail.TryGetValue(emailKey, out var sameEmail))
            {
                var other = sameEmail.FirstOrDefault(e => e.DirectoryId is not null && e.IsActive
                    && !string.Equals(e.DirectoryId, user.Id, StringComparison.OrdinalIgnoreCase)
                    && StillHoldsEmail(e, emailKey, claim, pageEmails));
                if (other is not null && !final && !memory.Seen.Contains(other.DirectoryId!))
                {
                    // The holder has not been seen in this run yet: it may turn out to have left. Decide at the end.
                    memory.Deferred.Add(candidate);
                    return null;
                }

                if (other is not null)
                {
                    ledger.Record(Duplicate($"{other.DirectoryId}, which is already linked"));
                    return null;
                }

                local = sameEmail.FirstOrDefault(e => e.DirectoryId is null && !linkedKeys.Contains(e.Key));
            }

            memory.EmailOwners.Claim(claim, user.Id);
        }

        CountAssignment(candidate);
        if (local is not null)
        {
            linkedKeys.Add(local.Key);
            NotePhoto(user.Id, record, local.PhotoETag);
            var diff = ContentHash.Diff(record, local);
            ledger.Plan(user.Id, UserAction.Linked, new UserOutcome
            {
                DirectoryId = user.Id,
                Email = record.Email,
                DisplayName = displayName,
                Action = UserAction.Linked,
                ChangedFields = diff,
                Assignment = record.Assignment,
                Reason = candidate.Match?.Note is { } note ? $"a local employee had the same email; {note}" : "a local employee had the same email",
            });
            return new EmployeeChange
            {
                Kind = EmployeeChangeKind.Link,
                DirectoryId = user.Id,
                Key = local.Key,
                Record = record,
                ContentHash = candidate.Hash,
                ChangedFields = diff,
                PreviousAssignment = local.Assignment,
                Timestamp = now,
                Reason = "a local employee had the same email",
            };
        }

        NotePhoto(user.Id, record, null);
        ledger.Plan(user.Id, UserAction.Created, ledger.HasRoom
            ? new UserOutcome { DirectoryId = user.Id, Email = record.Email, DisplayName = displayName, Action = UserAction.Created, Assignment = record.Assignment, Reason = candidate.Match?.Note }
            : null);

        return new EmployeeChange
        {
            Kind = EmployeeChangeKind.Create,
            DirectoryId = user.Id,
            Record = record,
            ContentHash = candidate.Hash,
            Timestamp = now,
        };
    }

    private void NotePhoto(string id, EmployeeRecord record, string? storedETag)
    {
        if (_profile.Photos.Enabled && record.PhotoETag is not null && !string.Equals(record.PhotoETag, storedETag, StringComparison.Ordinal))
        {
            memory.PhotoNeeded[id] = storedETag;
        }
    }

    /// <summary>Whether a linked employee still holds an email, given what this run has seen of its directory user.</summary>
    private bool StillHoldsEmail(StoredEmployee employee, string emailKey, EmailKey claim, Dictionary<string, string?> pageEmails)
    {
        var id = employee.DirectoryId!;
        if (memory.Removed.Contains(id))
        {
            return false;
        }

        if (pageEmails.TryGetValue(id, out var current))
        {
            return string.Equals(current, emailKey, StringComparison.OrdinalIgnoreCase);
        }

        if (memory.Seen.Contains(id))
        {
            return memory.EmailOwners.IsOwnedBy(claim, id);
        }

        return true;
    }

    private void CountAssignment(UserEvaluation candidate)
    {
        // AssignmentMatch.None means matching is not configured for the tenant: nobody is "unassigned" then.
        if (!ReferenceEquals(candidate.Match, AssignmentMatch.None) && candidate.Record!.Assignment.IsUnassigned)
        {
            ledger.Unassigned++;
        }
    }

}
