using System.Diagnostics.CodeAnalysis;

namespace EntraSync;

/// <summary>
/// What a source found when asked for one user (<see cref="IDirectorySource.GetUserAsync"/>): the user, and whether
/// the tenant's directory scope includes them exactly as a full read would (the server-side filter and the scope
/// groups of <see cref="DirectoryScopeOptions"/>).
/// </summary>
public sealed class DirectoryUserLookup
{
    private DirectoryUserLookup(DirectoryUser? user, string? outOfScopeReason)
    {
        User = user;
        OutOfScopeReason = outOfScopeReason;
    }

    /// <summary>Gets the answer for a user the directory does not have.</summary>
    public static DirectoryUserLookup NotFound { get; } = new(null, null);

    /// <summary>Gets the user, or <see langword="null"/> when the directory has no such user.</summary>
    public DirectoryUser? User { get; }

    /// <summary>
    /// Gets why the tenant's directory scope excludes the user, in words for the report (for example
    /// <c>does not match the directory filter (Scope:ODataFilter) companyName eq 'Contoso'</c>), or
    /// <see langword="null"/> when the user is in scope or was not found.
    /// </summary>
    public string? OutOfScopeReason { get; }

    /// <summary>Gets a value indicating whether the directory has the user.</summary>
    [MemberNotNullWhen(true, nameof(User))]
    public bool IsFound => User is not null;

    /// <summary>Gets a value indicating whether the directory has the user and a full read would include them.</summary>
    [MemberNotNullWhen(true, nameof(User))]
    public bool IsInScope => User is not null && OutOfScopeReason is null;

    /// <summary>Creates the answer for a user a full read would include.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The answer.</returns>
    public static DirectoryUserLookup InScope(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new DirectoryUserLookup(user, null);
    }

    /// <summary>Creates the answer for a user the directory has but the tenant's directory scope excludes.</summary>
    /// <param name="user">The user.</param>
    /// <param name="reason">Why the scope excludes the user, in words for the report.</param>
    /// <returns>The answer.</returns>
    public static DirectoryUserLookup OutOfScope(DirectoryUser user, string reason)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new DirectoryUserLookup(user, reason);
    }

    /// <inheritdoc />
    public override string ToString() => User is null ? "not found" : OutOfScopeReason is null ? User.Id : $"{User.Id} (out of scope: {OutOfScopeReason})";
}
