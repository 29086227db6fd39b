using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EntraSync.Sync.Planning;

/// <summary>
/// The directory ids a run has seen, compared without regard to case like every id in sync. Entra object ids are
/// GUIDs, kept as 16-byte <see cref="Guid"/> values rather than 36-character strings; an id in any other form is kept
/// as text.
/// </summary>
/// <remarks>A run holds one entry per directory user until it ends, so the size of an entry is the run's memory per user.</remarks>
internal sealed class DirectoryIdSet
{
    private readonly HashSet<Guid> _guids = [];
    private readonly HashSet<string> _others = new(StringComparer.OrdinalIgnoreCase);

    public bool Add(string id) => IsGuid(id, out var guid) ? _guids.Add(guid) : _others.Add(id);

    public bool Remove(string id) => IsGuid(id, out var guid) ? _guids.Remove(guid) : _others.Remove(id);

    public bool Contains(string id) => IsGuid(id, out var guid) ? _guids.Contains(guid) : _others.Contains(id);

    /// <summary>
    /// Whether the id is a GUID in the 36-character form; two such ids are equal ignoring case exactly when their
    /// <see cref="Guid"/> values are equal.
    /// </summary>
    internal static bool IsGuid(string id, out Guid guid)
    {
        // Exactly 36 characters: the parser would also accept surrounding white space, which the ids compared as text
        // never equalled.
        guid = default;
        return id.Length == 36 && Guid.TryParseExact(id, "D", out guid);
    }
}

/// <summary>
/// Which directory user claimed each email in a run, so a second user with the same email is skipped as a duplicate.
/// Emails are compared ignoring case, by a 128-bit SHA-256 prefix of their upper-case form rather than by the text:
/// 44 bytes per claim instead of about 110 (the text and a string-keyed entry). Two different emails share a key with a probability below 10⁻²⁶ in a
/// tenant of a million users, and nobody can choose emails that do (SHA-256 is collision resistant).
/// </summary>
internal sealed class EmailClaims
{
    private readonly Dictionary<EmailKey, Guid> _byGuid = [];
    private readonly Dictionary<EmailKey, string> _byText = [];

    /// <summary>Computes the key of an email: equal for two emails exactly when they are equal ignoring case.</summary>
    public static EmailKey KeyOf(string email)
    {
        char[]? rented = null;
        var upper = email.Length <= 256 ? stackalloc char[email.Length] : (rented = ArrayPool<char>.Shared.Rent(email.Length)).AsSpan(0, email.Length);
        try
        {
            email.AsSpan().ToUpperInvariant(upper);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(MemoryMarshal.AsBytes((ReadOnlySpan<char>)upper), hash);
            return new EmailKey(MemoryMarshal.Read<ulong>(hash), MemoryMarshal.Read<ulong>(hash[8..]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Records <paramref name="ownerId"/> as the user holding the email (replacing an earlier owner).</summary>
    public void Claim(EmailKey email, string ownerId)
    {
        if (IsCanonical(ownerId, out var guid))
        {
            _byGuid[email] = guid;
            _byText.Remove(email);
        }
        else
        {
            _byText[email] = ownerId;
            _byGuid.Remove(email);
        }
    }

    /// <summary>Gets the id of the user holding the email, exactly as the directory sent it.</summary>
    public bool TryGetOwner(EmailKey email, [NotNullWhen(true)] out string? ownerId)
    {
        if (_byGuid.TryGetValue(email, out var guid))
        {
            ownerId = guid.ToString("D");
            return true;
        }

        return _byText.TryGetValue(email, out ownerId);
    }

    /// <summary>Whether the email is held by <paramref name="id"/> (ids compared ignoring case).</summary>
    public bool IsOwnedBy(EmailKey email, string id)
    {
        if (_byGuid.TryGetValue(email, out var guid))
        {
            return DirectoryIdSet.IsGuid(id, out var other) && guid == other;
        }

        return _byText.TryGetValue(email, out var owner) && string.Equals(owner, id, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the id is a GUID written the way Graph writes it (lower case), so it can be kept as a <see cref="Guid"/> and given back unchanged.</summary>
    private static bool IsCanonical(string id, out Guid guid)
    {
        if (!DirectoryIdSet.IsGuid(id, out guid))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is >= 'A' and <= 'F')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The 128-bit key of an email in <see cref="EmailClaims"/> (two 64-bit halves, so a table entry needs no 16-byte alignment).</summary>
internal readonly record struct EmailKey(ulong High, ulong Low)
{
    /// <inheritdoc />
    public override int GetHashCode() => (int)Low;
}
