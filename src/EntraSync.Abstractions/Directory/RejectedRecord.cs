namespace EntraSync;

/// <summary>A record the source skipped because it could not be read as a user.</summary>
public sealed class RejectedRecord
{
    /// <summary>Gets the record's id when it had one.</summary>
    public string? Id { get; init; }

    /// <summary>Gets why the record was skipped, in words an IT admin can act on.</summary>
    public required string Reason { get; init; }
}
