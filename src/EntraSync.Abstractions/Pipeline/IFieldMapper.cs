namespace EntraSync;

/// <summary>Turns a directory user into the host's employee fields (First Name, Job Title, ...).</summary>
public interface IFieldMapper
{
    /// <summary>Gets the directory properties the mapping reads, so the source selects only those.</summary>
    /// <param name="context">The run.</param>
    /// <returns>Graph user property names.</returns>
    IReadOnlyCollection<string> GetRequiredProperties(SyncContext context);

    /// <summary>Maps one user.</summary>
    /// <param name="user">The directory user.</param>
    /// <param name="email">The user's resolved email, or <see langword="null"/> when none could be resolved.</param>
    /// <param name="context">The run.</param>
    /// <returns>The fields by name in field-map order; an empty value is <see langword="null"/>.</returns>
    /// <exception cref="FormatException">The record cannot be mapped; sync skips the user with the message as reason.</exception>
    IReadOnlyDictionary<string, string?> Map(DirectoryUser user, string? email, SyncContext context);
}
