namespace EntraSync;

/// <summary>One step of a single-user sync.</summary>
public sealed class UserSyncStep
{
    /// <summary>Gets which step.</summary>
    public required UserSyncStepKind Kind { get; init; }

    /// <summary>Gets how the step went.</summary>
    public required UserSyncStepStatus Status { get; init; }

    /// <summary>Gets what the step found or did, in words.</summary>
    public required string Detail { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Status} - {Detail}";
}
