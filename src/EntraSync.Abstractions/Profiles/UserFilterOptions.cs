namespace EntraSync;

/// <summary>Client-side filters: which directory users are in scope.</summary>
public sealed class UserFilterOptions
{
}
