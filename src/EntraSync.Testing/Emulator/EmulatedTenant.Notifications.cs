namespace EntraSync.Testing.Emulator;

/// <summary>The hook change notifications hang on: every user created, changed, deleted or restored in the tenant.</summary>
public sealed partial class EmulatedTenant
{
    /// <summary>Raised inside the tenant's lock with the user's id and <c>created</c>, <c>updated</c> or <c>deleted</c>; handlers only queue.</summary>
    internal event Action<EmulatedTenant, string, string>? UserChanged;

    private void OnUserChanged(string userId, string changeType) => UserChanged?.Invoke(this, userId, changeType);
}
