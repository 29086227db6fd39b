namespace EntraSync.Testing.Emulator.Internal;

internal enum UserState
{
    Active,
    SoftDeleted,
    HardDeleted,
}

/// <summary>A user slot. Slots are never removed, so a position in the tenant's list is a stable paging cursor.</summary>
internal sealed class UserRecord
{
    public required EmulatedUser User { get; set; }

    public required int Position { get; init; }

    /// <summary>Version when the user first appeared.</summary>
    public required long FirstVersion { get; init; }

    /// <summary>Version when the user was created or last restored; a delta round after it sends the whole object.</summary>
    public long CreatedVersion { get; set; }

    /// <summary>Version of the last soft or hard delete.</summary>
    public long StateVersion { get; set; }

    public UserState State { get; set; }

    /// <summary>Property name to the version of its last change (only properties changed after creation).</summary>
    public Dictionary<string, long>? Changed { get; set; }

    public long ChangedVersion(string property) =>
        Changed is not null && Changed.TryGetValue(property, out var v) ? Math.Max(v, CreatedVersion) : CreatedVersion;
}

internal sealed class GroupRecord
{
    public required EmulatedGroup Group { get; set; }

    public List<string> Members { get; } = [];

    public HashSet<string> MemberSet { get; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class PhotoRecord
{
    public required byte[] Bytes { get; init; }

    public required string ETag { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required string ContentType { get; init; }
}

internal enum DeltaItemKind
{
    Full,
    Minimal,
    RemovedChanged,
    RemovedDeleted,
}

internal readonly record struct DeltaItem(EmulatedUser User, DeltaItemKind Kind, UserRecord Record);

/// <summary>A member row for /members and /transitiveMembers: a user or a group snapshot.</summary>
internal readonly record struct MemberItem(EmulatedUser? User, EmulatedGroup? Group);
