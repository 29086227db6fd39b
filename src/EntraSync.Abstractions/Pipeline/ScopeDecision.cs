namespace EntraSync;

/// <summary>Whether a user is in scope and, when not, why.</summary>
public sealed class ScopeDecision
{
    private ScopeDecision(bool isInScope, string? reason)
    {
        IsInScope = isInScope;
        Reason = reason;
    }

    /// <summary>Gets the decision that a user is in scope.</summary>
    public static ScopeDecision InScope { get; } = new(true, null);

    /// <summary>Gets a value indicating whether the user is in scope.</summary>
    public bool IsInScope { get; }

    /// <summary>Gets the rule that excluded the user, in words for the report; <see langword="null"/> when in scope.</summary>
    public string? Reason { get; }

    /// <summary>Creates the decision that a user is out of scope.</summary>
    /// <param name="reason">The rule that excluded the user, for example <c>accountEnabled is false (preset: disabled accounts)</c>.</param>
    /// <returns>The decision.</returns>
    public static ScopeDecision OutOfScope(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(false, reason);
    }
}
