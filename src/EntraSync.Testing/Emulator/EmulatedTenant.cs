using System.Buffers;
using System.Text.Json;
using EntraSync.Testing.Emulator.Internal;

namespace EntraSync.Testing.Emulator;

/// <summary>
/// One fake Entra tenant: users, groups with nested membership, photos, organization, app registrations,
/// denied permissions and delta state. Every change made here, or through Graph-style writes, is visible to the
/// next users/delta round. All members are thread-safe.
/// </summary>
public sealed partial class EmulatedTenant
{
    private readonly Lock _gate = new();
    private readonly List<UserRecord> _users = [];
    private readonly Dictionary<string, UserRecord> _usersById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, UserRecord> _usersByUpn = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GroupRecord> _groups = [];
    private readonly Dictionary<string, GroupRecord> _groupsById = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PhotoRecord> _photos = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _deniedPermissions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EmulatedApplication> _applications = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private long _version;
    private long _generation = 1;
    private long _resetBelowGeneration;
    private long _expiredBelowGeneration;

    internal EmulatedTenant(string id, EmulatedTenantOptions options, TimeProvider timeProvider)
    {
        Id = id;
        _timeProvider = timeProvider;
        Domain = options.Domain;
        InitialDomain = options.InitialDomain
            ?? new string([.. options.OrganizationName.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]) + ".onmicrosoft.com";
        DeltaPageSize = options.DeltaPageSize;
        Organization = new EmulatedOrganization { DisplayName = options.OrganizationName };
        Organization.VerifiedDomains.Add(new EmulatedDomain { Name = InitialDomain, IsInitial = true, IsDefault = string.Equals(Domain, InitialDomain, StringComparison.OrdinalIgnoreCase) });
        if (!string.Equals(Domain, InitialDomain, StringComparison.OrdinalIgnoreCase))
        {
            Organization.VerifiedDomains.Add(new EmulatedDomain { Name = Domain, IsDefault = true });
        }
    }

    /// <summary>Gets the tenant id (the <c>tid</c> its tokens carry).</summary>
    public string Id { get; }

    /// <summary>Gets the default verified domain.</summary>
    public string Domain { get; }

    /// <summary>Gets the initial <c>*.onmicrosoft.com</c> domain.</summary>
    public string InitialDomain { get; }

    /// <summary>Gets the organization served by <c>GET /v1.0/organization</c>. Change it in place.</summary>
    public EmulatedOrganization Organization { get; }

    /// <summary>Gets or sets how many items a users/delta page holds.</summary>
    /// <value>The default is 200.</value>
    public int DeltaPageSize { get; set; }

    /// <summary>
    /// Gets or sets whether delta replays duplicates as Graph may: each page after the first repeats the previous
    /// page's last item, and each round repeats the changes of the round before it.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReplayDeltaDuplicates { get; set; }

    /// <summary>Gets how many users are active (not deleted).</summary>
    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _usersById.Values.Count(r => r.State == UserState.Active);
            }
        }
    }

    /// <summary>Gets the current change version; it grows with every change.</summary>
    public long Version => Interlocked.Read(ref _version);

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>Adds a user. Its <c>id</c> and <c>userPrincipalName</c> must be unique in the tenant.</summary>
    /// <param name="user">The user; the tenant stores a copy.</param>
    /// <returns>A copy of the stored user.</returns>
    /// <exception cref="InvalidOperationException">The id or user principal name is taken.</exception>
    public EmulatedUser AddUser(EmulatedUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            return AddUserLocked(user.Clone()).User.Clone();
        }
    }

    /// <summary>Adds many users at once (faster than one by one).</summary>
    /// <param name="users">The users; the tenant stores copies.</param>
    public void AddUsers(IEnumerable<EmulatedUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        lock (_gate)
        {
            foreach (var user in users)
            {
                AddUserLocked(user.Clone());
            }
        }
    }

    /// <summary>Finds an active user by id or user principal name.</summary>
    /// <param name="idOrUserPrincipalName">The object id or UPN.</param>
    /// <returns>A copy of the user, or <see langword="null"/>.</returns>
    public EmulatedUser? FindUser(string idOrUserPrincipalName)
    {
        lock (_gate)
        {
            return FindActiveLocked(idOrUserPrincipalName)?.User.Clone();
        }
    }

    /// <summary>Gets copies of the active users, in directory order.</summary>
    /// <returns>The users.</returns>
    public IReadOnlyList<EmulatedUser> GetUsers()
    {
        lock (_gate)
        {
            return [.. _users.Where(r => r.State == UserState.Active).Select(r => r.User.Clone())];
        }
    }

    /// <summary>Gets copies of the soft-deleted users (the <c>deletedItems</c> container).</summary>
    /// <returns>The deleted users.</returns>
    public IReadOnlyList<EmulatedUser> GetDeletedUsers()
    {
        lock (_gate)
        {
            return [.. _users.Where(r => r.State == UserState.SoftDeleted).Select(r => r.User.Clone())];
        }
    }

    /// <summary>Changes an active user. Only properties whose value changed are reported by delta.</summary>
    /// <param name="id">The user's object id or UPN.</param>
    /// <param name="change">Edits a copy of the user; the id cannot change.</param>
    /// <returns>A copy of the updated user.</returns>
    /// <exception cref="KeyNotFoundException">No active user has that id.</exception>
    public EmulatedUser UpdateUser(string id, Action<EmulatedUser> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var record = FindActiveLocked(id) ?? throw new KeyNotFoundException($"User '{id}' does not exist in tenant '{Id}'.");
            var updated = record.User.Clone();
            change(updated);
            ApplyUpdateLocked(record, updated);
            return updated.Clone();
        }
    }

    /// <summary>Soft-deletes a user: it moves to deletedItems, delta reports <c>@removed: changed</c>, it can be restored.</summary>
    /// <param name="id">The user's object id or UPN.</param>
    /// <exception cref="KeyNotFoundException">No active user has that id.</exception>
    public void DeleteUser(string id)
    {
        lock (_gate)
        {
            var record = FindActiveLocked(id) ?? throw new KeyNotFoundException($"User '{id}' does not exist in tenant '{Id}'.");
            record.State = UserState.SoftDeleted;
            record.StateVersion = NextVersion();
            OnUserChanged(record.User.Id, "deleted");
            if (record.User.UserPrincipalName is { } upn)
            {
                _usersByUpn.Remove(upn);
            }
        }
    }

    /// <summary>Restores a soft-deleted user; the next delta round sends it as a normal item.</summary>
    /// <param name="id">The user's object id.</param>
    /// <returns>A copy of the restored user.</returns>
    /// <exception cref="KeyNotFoundException">No soft-deleted user has that id.</exception>
    /// <exception cref="InvalidOperationException">Another user took its user principal name.</exception>
    public EmulatedUser RestoreUser(string id)
    {
        lock (_gate)
        {
            if (!_usersById.TryGetValue(id, out var record) || record.State != UserState.SoftDeleted)
            {
                throw new KeyNotFoundException($"Deleted user '{id}' does not exist in tenant '{Id}'.");
            }

            if (record.User.UserPrincipalName is { } upn)
            {
                if (_usersByUpn.ContainsKey(upn))
                {
                    throw new InvalidOperationException($"Another object with the same value for property userPrincipalName already exists: '{upn}'.");
                }

                _usersByUpn[upn] = record;
            }

            record.State = UserState.Active;
            record.CreatedVersion = NextVersion();
            OnUserChanged(record.User.Id, "created");
            record.Changed = null;
            return record.User.Clone();
        }
    }

    /// <summary>Permanently deletes a user (active or soft-deleted): delta reports <c>@removed: deleted</c>.</summary>
    /// <param name="id">The user's object id.</param>
    /// <exception cref="KeyNotFoundException">No user has that id.</exception>
    public void PermanentlyDeleteUser(string id)
    {
        lock (_gate)
        {
            if (!_usersById.TryGetValue(id, out var record) || record.State == UserState.HardDeleted)
            {
                throw new KeyNotFoundException($"User '{id}' does not exist in tenant '{Id}'.");
            }

            if (record.State == UserState.Active && record.User.UserPrincipalName is { } upn)
            {
                _usersByUpn.Remove(upn);
            }

            record.State = UserState.HardDeleted;
            record.StateVersion = NextVersion();
            OnUserChanged(record.User.Id, "deleted");
            _photos.Remove(record.User.Id);
            foreach (var group in _groups)
            {
                if (group.MemberSet.Remove(record.User.Id))
                {
                    group.Members.RemoveAll(m => string.Equals(m, record.User.Id, StringComparison.OrdinalIgnoreCase));
                }
            }
        }
    }

    /// <summary>Adds a group.</summary>
    /// <param name="group">The group; the tenant stores a copy.</param>
    /// <returns>The group's id.</returns>
    /// <exception cref="InvalidOperationException">The id is taken.</exception>
    public string AddGroup(EmulatedGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        lock (_gate)
        {
            if (_groupsById.ContainsKey(group.Id) || _usersById.ContainsKey(group.Id))
            {
                throw new InvalidOperationException($"An object with id '{group.Id}' already exists.");
            }

            var record = new GroupRecord { Group = group.Clone() };
            _groups.Add(record);
            _groupsById.Add(group.Id, record);
            return group.Id;
        }
    }

    /// <summary>Adds a user or group to a group's direct members.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="memberId">A user or group id.</param>
    /// <returns><see langword="true"/> if added; <see langword="false"/> if it was already a member.</returns>
    /// <exception cref="KeyNotFoundException">The group or member does not exist.</exception>
    public bool AddMember(string groupId, string memberId)
    {
        lock (_gate)
        {
            var group = _groupsById.GetValueOrDefault(groupId) ?? throw new KeyNotFoundException($"Group '{groupId}' does not exist.");
            if (!_groupsById.ContainsKey(memberId) && FindActiveLocked(memberId) is null)
            {
                throw new KeyNotFoundException($"Directory object '{memberId}' does not exist.");
            }

            var canonical = _groupsById.TryGetValue(memberId, out var g) ? g.Group.Id : FindActiveLocked(memberId)!.User.Id;
            if (!group.MemberSet.Add(canonical))
            {
                return false;
            }

            group.Members.Add(canonical);
            return true;
        }
    }

    /// <summary>Adds many members to a group at once.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="memberIds">User or group ids.</param>
    public void AddMembers(string groupId, IEnumerable<string> memberIds)
    {
        ArgumentNullException.ThrowIfNull(memberIds);
        lock (_gate)
        {
            var group = _groupsById.GetValueOrDefault(groupId) ?? throw new KeyNotFoundException($"Group '{groupId}' does not exist.");
            foreach (var id in memberIds)
            {
                if (group.MemberSet.Add(id))
                {
                    group.Members.Add(id);
                }
            }
        }
    }

    /// <summary>Removes a direct member from a group.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="memberId">The member id.</param>
    /// <returns><see langword="true"/> if it was a member.</returns>
    public bool RemoveMember(string groupId, string memberId)
    {
        lock (_gate)
        {
            if (!_groupsById.TryGetValue(groupId, out var group) || !group.MemberSet.Remove(memberId))
            {
                return false;
            }

            group.Members.RemoveAll(m => string.Equals(m, memberId, StringComparison.OrdinalIgnoreCase));
            return true;
        }
    }

    /// <summary>Gets copies of the groups in the tenant.</summary>
    /// <returns>The groups, in creation order.</returns>
    public IReadOnlyList<EmulatedGroup> GetGroups()
    {
        lock (_gate)
        {
            return [.. _groups.Select(g => g.Group.Clone())];
        }
    }

    /// <summary>Sets a user's profile photo. The media ETag is derived from the bytes.</summary>
    /// <param name="userId">The user's id or UPN.</param>
    /// <param name="jpeg">The image bytes (JPEG).</param>
    /// <param name="width">The width in pixels; by default read from the JPEG header, else 240.</param>
    /// <param name="height">The height in pixels; by default read from the JPEG header, else 240.</param>
    /// <exception cref="KeyNotFoundException">No active user has that id.</exception>
    public void SetPhoto(string userId, ReadOnlySpan<byte> jpeg, int? width = null, int? height = null)
    {
        var bytes = jpeg.ToArray();
        var size = JpegInfo.TryReadSize(bytes);
        var hash = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Security.Cryptography.SHA256.HashData(bytes));
        var photo = new PhotoRecord
        {
            Bytes = bytes,
            ETag = "\"" + hash.ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + "\"",
            Width = width ?? size?.Width ?? 240,
            Height = height ?? size?.Height ?? 240,
            ContentType = "image/jpeg",
        };
        lock (_gate)
        {
            var record = FindActiveLocked(userId) ?? throw new KeyNotFoundException($"User '{userId}' does not exist in tenant '{Id}'.");
            _photos[record.User.Id] = photo;
        }
    }

    /// <summary>Removes a user's profile photo.</summary>
    /// <param name="userId">The user's id.</param>
    /// <returns><see langword="true"/> if the user had one.</returns>
    public bool RemovePhoto(string userId)
    {
        lock (_gate)
        {
            return _photos.Remove(userId);
        }
    }

    /// <summary>Gets the media ETag of a user's photo (with its literal quotes), or <see langword="null"/>.</summary>
    /// <param name="userId">The user's id.</param>
    /// <returns>The ETag.</returns>
    public string? GetPhotoETag(string userId)
    {
        lock (_gate)
        {
            return _photos.TryGetValue(userId, out var photo) ? photo.ETag : null;
        }
    }

    /// <summary>
    /// Makes the tenant lack an application permission, e.g. <c>GroupMember.Read.All</c>: endpoints needing it answer
    /// 403 <c>Authorization_RequestDenied</c>. Users need <c>User.Read.All</c>, group members <c>GroupMember.Read.All</c>,
    /// photos <c>ProfilePhoto.Read.All</c>, organization <c>Organization.Read.All</c>; writes need
    /// <c>User.ReadWrite.All</c>, <c>GroupMember.ReadWrite.All</c> or <c>ProfilePhoto.ReadWrite.All</c>.
    /// </summary>
    /// <param name="permission">The permission name.</param>
    public void DenyPermission(string permission)
    {
        lock (_gate)
        {
            _deniedPermissions.Add(permission);
        }
    }

    /// <summary>Grants a permission denied earlier.</summary>
    /// <param name="permission">The permission name.</param>
    public void GrantPermission(string permission)
    {
        lock (_gate)
        {
            _deniedPermissions.Remove(permission);
        }
    }

    /// <summary>Gets whether the tenant has a permission (all are granted unless denied).</summary>
    /// <param name="permission">The permission name.</param>
    /// <returns><see langword="true"/> unless denied.</returns>
    public bool HasPermission(string permission)
    {
        lock (_gate)
        {
            return !_deniedPermissions.Contains(permission);
        }
    }

    /// <summary>
    /// Resets change tracking as Graph's "synchronization reset": every outstanding delta or skip link answers
    /// <c>410 Gone</c> with a <c>Location</c> header that starts a full sync.
    /// </summary>
    public void ResetDeltaState()
    {
        lock (_gate)
        {
            _resetBelowGeneration = ++_generation;
        }
    }

    /// <summary>
    /// Expires every outstanding delta link now (as if 7 days had passed): they answer 400 <c>syncStateNotFound</c>.
    /// Links also expire 7 days after they were issued by the emulator's <see cref="TimeProvider"/>.
    /// </summary>
    public void ExpireDeltaTokens()
    {
        lock (_gate)
        {
            _expiredBelowGeneration = ++_generation;
        }
    }

    /// <summary>Registers an app for the emulated token endpoint (client-credentials flow).</summary>
    /// <param name="clientId">The application (client) id.</param>
    /// <param name="clientSecret">The secret value.</param>
    /// <param name="secretExpiresAt">When the secret expires; <see langword="null"/> = never.</param>
    /// <returns>The registration; change it in place.</returns>
    public EmulatedApplication AddApplication(string clientId, string? clientSecret, DateTimeOffset? secretExpiresAt = null)
    {
        var app = new EmulatedApplication { ClientId = clientId, ClientSecret = clientSecret, SecretExpiresAt = secretExpiresAt };
        lock (_gate)
        {
            _applications[clientId] = app;
        }

        return app;
    }

    internal EmulatedApplication? FindApplication(string clientId)
    {
        lock (_gate)
        {
            return _applications.GetValueOrDefault(clientId);
        }
    }

    // ---- internals used by the HTTP layer ----
    internal EmulatedUser? FindActiveSnapshot(string idOrUpn)
    {
        lock (_gate)
        {
            return FindActiveLocked(idOrUpn)?.User;
        }
    }

    internal (List<EmulatedUser> Page, int? NextPosition, int? Count) ListUsers(ODataFilter? filter, int position, int top, bool count)
    {
        lock (_gate)
        {
            var page = new List<EmulatedUser>(Math.Min(top, 1000));
            int? next = null;
            var i = position;
            for (; i < _users.Count; i++)
            {
                var r = _users[i];
                if (r.State != UserState.Active || (filter is not null && !filter.Matches(r.User)))
                {
                    continue;
                }

                if (page.Count == top)
                {
                    next = i;
                    break;
                }

                page.Add(r.User);
            }

            int? total = null;
            if (count)
            {
                total = 0;
                foreach (var r in _users)
                {
                    if (r.State == UserState.Active && (filter is null || filter.Matches(r.User)))
                    {
                        total++;
                    }
                }
            }

            return (page, next, total);
        }
    }

    internal (DeltaToken Token, string? Error) NewDeltaRound(string select, bool latest)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow().UtcTicks;
            return (new DeltaToken
            {
                TenantId = Id,
                Since = latest ? _version : 0,
                UpTo = _version,
                PreviousSince = 0,
                Generation = _generation,
                IssuedAtTicks = now,
                Select = select,
            }, null);
        }
    }

    /// <summary>Checks a token: null when valid; "reset" (410) or "expired" (400 syncStateNotFound) otherwise.</summary>
    internal string? CheckDeltaToken(DeltaToken token)
    {
        lock (_gate)
        {
            if (token.Generation < _resetBelowGeneration)
            {
                return "reset";
            }

            if (token.Generation < _expiredBelowGeneration)
            {
                return "expired";
            }

            var age = _timeProvider.GetUtcNow().UtcTicks - token.IssuedAtTicks;
            return age > TimeSpan.FromDays(7).Ticks ? "expired" : null;
        }
    }

    /// <summary>Starts the next round from a deltaLink token: changes after its UpTo, up to now.</summary>
    internal DeltaToken NextRound(DeltaToken deltaLink)
    {
        lock (_gate)
        {
            var since = ReplayDeltaDuplicates && deltaLink.Since > 0 ? deltaLink.Since : deltaLink.UpTo;
            return new DeltaToken
            {
                TenantId = Id,
                Since = since,
                UpTo = _version,
                PreviousSince = deltaLink.UpTo,
                Generation = _generation,
                IssuedAtTicks = _timeProvider.GetUtcNow().UtcTicks,
                Select = deltaLink.Select,
            };
        }
    }

    internal (List<DeltaItem> Items, int? NextPosition) DeltaPage(DeltaToken round, UserProperty[] tracked, bool minimal, int pageSize)
    {
        lock (_gate)
        {
            var items = new List<DeltaItem>(Math.Min(pageSize + 1, 1024));
            var start = round.Position;
            if (round.ReplayLast && start > 0)
            {
                // Graph may send the same entity twice in one round; repeat the last item of the previous page.
                for (var j = start - 1; j >= 0; j--)
                {
                    if (TryDeltaItem(_users[j], round, tracked, minimal) is { } dup)
                    {
                        items.Add(dup);
                        break;
                    }
                }
            }

            for (var i = start; i < _users.Count; i++)
            {
                if (TryDeltaItem(_users[i], round, tracked, minimal) is not { } item)
                {
                    continue;
                }

                if (items.Count >= pageSize + (round.ReplayLast && start > 0 ? 1 : 0))
                {
                    return (items, i);
                }

                items.Add(item);
            }

            return (items, null);
        }
    }

    internal PhotoRecord? GetPhoto(string userId)
    {
        lock (_gate)
        {
            return _photos.GetValueOrDefault(userId);
        }
    }

    internal EmulatedGroup? FindGroupSnapshot(string id)
    {
        lock (_gate)
        {
            return _groupsById.GetValueOrDefault(id)?.Group;
        }
    }

    /// <summary>Direct or transitive members (active users and groups), deduplicated, in a stable order.</summary>
    internal List<MemberItem>? GetMembers(string groupId, bool transitive)
    {
        lock (_gate)
        {
            if (!_groupsById.TryGetValue(groupId, out var root))
            {
                return null;
            }

            var result = new List<MemberItem>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var queue = new Queue<GroupRecord>();
            queue.Enqueue(root);
            var visitedGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.Group.Id };
            while (queue.Count > 0)
            {
                var group = queue.Dequeue();
                foreach (var memberId in group.Members)
                {
                    if (!seen.Add(memberId))
                    {
                        continue;
                    }

                    if (_groupsById.TryGetValue(memberId, out var nested))
                    {
                        result.Add(new MemberItem(null, nested.Group));
                        if (transitive && visitedGroups.Add(nested.Group.Id))
                        {
                            queue.Enqueue(nested);
                        }
                    }
                    else if (_usersById.TryGetValue(memberId, out var user) && user.State == UserState.Active)
                    {
                        result.Add(new MemberItem(user.User, null));
                    }
                }

                if (!transitive)
                {
                    break;
                }
            }

            return result;
        }
    }

    /// <summary>Creates a user from a Graph POST: the caller validated required properties.</summary>
    internal EmulatedUser CreateFromGraph(EmulatedUser user)
    {
        lock (_gate)
        {
            return AddUserLocked(user).User;
        }
    }

    internal void ApplyUpdate(string id, EmulatedUser updated)
    {
        lock (_gate)
        {
            var record = FindActiveLocked(id) ?? throw new KeyNotFoundException(id);
            ApplyUpdateLocked(record, updated);
        }
    }

    internal EmulatedUser? FindDeletedSnapshot(string id)
    {
        lock (_gate)
        {
            return _usersById.TryGetValue(id, out var r) && r.State == UserState.SoftDeleted ? r.User : null;
        }
    }

    private UserRecord AddUserLocked(EmulatedUser user)
    {
        if (string.IsNullOrEmpty(user.Id) || _usersById.ContainsKey(user.Id) || _groupsById.ContainsKey(user.Id))
        {
            throw new InvalidOperationException($"Another object with the same value for property id already exists: '{user.Id}'.");
        }

        if (user.UserPrincipalName is { } upn && _usersByUpn.ContainsKey(upn))
        {
            throw new InvalidOperationException($"Another object with the same value for property userPrincipalName already exists: '{upn}'.");
        }

        user.CreatedDateTime ??= _timeProvider.GetUtcNow();
        var version = NextVersion();
        var record = new UserRecord
        {
            User = user,
            Position = _users.Count,
            FirstVersion = version,
            CreatedVersion = version,
        };
        _users.Add(record);
        _usersById.Add(user.Id, record);
        if (user.UserPrincipalName is { } u)
        {
            _usersByUpn[u] = record;
        }

        OnUserChanged(user.Id, "created");
        return record;
    }

    private void ApplyUpdateLocked(UserRecord record, EmulatedUser updated)
    {
        var old = record.User;
        updated.Id = old.Id;
        if (!string.Equals(old.UserPrincipalName, updated.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
        {
            if (updated.UserPrincipalName is { } newUpn && _usersByUpn.TryGetValue(newUpn, out var other) && other != record)
            {
                throw new InvalidOperationException($"Another object with the same value for property userPrincipalName already exists: '{newUpn}'.");
            }

            if (old.UserPrincipalName is { } oldUpn)
            {
                _usersByUpn.Remove(oldUpn);
            }

            if (updated.UserPrincipalName is { } upn)
            {
                _usersByUpn[upn] = record;
            }
        }

        var changed = ChangedProperties(old, updated);
        record.User = updated;
        if (changed.Count == 0)
        {
            return;
        }

        OnUserChanged(old.Id, "updated");
        var version = NextVersion();
        record.Changed ??= new(StringComparer.OrdinalIgnoreCase);
        foreach (var name in changed)
        {
            record.Changed[name] = version;
        }
    }

    private static List<string> ChangedProperties(EmulatedUser before, EmulatedUser after)
    {
        var names = new List<string>();
        var a = new ArrayBufferWriter<byte>(256);
        var b = new ArrayBufferWriter<byte>(256);
        IEnumerable<UserProperty> properties = UserCatalog.Modelled;
        var open = (before.AdditionalPropertiesOrNull?.Keys ?? Enumerable.Empty<string>())
            .Concat(after.AdditionalPropertiesOrNull?.Keys ?? Enumerable.Empty<string>())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(UserProperty.Open);
        foreach (var property in properties.Concat(open))
        {
            a.ResetWrittenCount();
            b.ResetWrittenCount();
            using (var wa = new Utf8JsonWriter(a))
            {
                property.WriteValue(wa, before);
            }

            using (var wb = new Utf8JsonWriter(b))
            {
                property.WriteValue(wb, after);
            }

            if (!a.WrittenSpan.SequenceEqual(b.WrittenSpan))
            {
                names.Add(property.Name);
            }
        }

        return names;
    }

    private DeltaItem? TryDeltaItem(UserRecord r, DeltaToken round, UserProperty[] tracked, bool minimal)
    {
        var since = round.Since;
        switch (r.State)
        {
            case UserState.HardDeleted:
                // Created and deleted before the initial round: never returned.
                return since > 0 && r.StateVersion > since && r.StateVersion <= round.UpTo && r.FirstVersion <= since
                    ? new DeltaItem(r.User, DeltaItemKind.RemovedDeleted, r)
                    : null;
            case UserState.SoftDeleted:
                return since > 0 && r.StateVersion > since && r.StateVersion <= round.UpTo && r.FirstVersion <= since
                    ? new DeltaItem(r.User, DeltaItemKind.RemovedChanged, r)
                    : null;
        }

        if (since == 0 || r.CreatedVersion > since)
        {
            return new DeltaItem(r.User, DeltaItemKind.Full, r);
        }

        if (r.Changed is null)
        {
            // Nothing changed since creation, which the round has already seen.
            return null;
        }

        foreach (var property in tracked)
        {
            if (r.ChangedVersion(property.Name) > since)
            {
                return new DeltaItem(r.User, minimal ? DeltaItemKind.Minimal : DeltaItemKind.Full, r);
            }
        }

        return null;
    }

    private UserRecord? FindActiveLocked(string idOrUpn)
    {
        if (_usersById.TryGetValue(idOrUpn, out var r))
        {
            return r.State == UserState.Active ? r : null;
        }

        return _usersByUpn.TryGetValue(idOrUpn, out r) && r.State == UserState.Active ? r : null;
    }

    private long NextVersion() => Interlocked.Increment(ref _version);
}
