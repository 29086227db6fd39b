namespace EntraSync.EntityFrameworkCore;

/// <summary>How the store compares emails: trimmed and ignoring case.</summary>
public static class EmployeeEmail
{
    /// <summary>Normalizes an email for lookups: trimmed and in upper case (invariant), as ASP.NET Core Identity does.</summary>
    /// <param name="email">The email, or <see langword="null"/>.</param>
    /// <returns>The normalized email, or <see langword="null"/> for none or blank.</returns>
    public static string? Normalize(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToUpperInvariant();
}
