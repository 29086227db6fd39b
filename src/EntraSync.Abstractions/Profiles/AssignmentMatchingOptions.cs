namespace EntraSync;

/// <summary>Unit and user-type matching (the Ziik-style model).</summary>
public sealed class AssignmentMatchingOptions
{
}
