using Intranet.Ziik.Integration;

namespace Intranet.Ziik.Pages;

/// <summary>What _SyncControl shows: a button that starts a synchronisation, and its live status.</summary>
/// <param name="Status">The status now.</param>
/// <param name="ButtonId">The button's id.</param>
/// <param name="ButtonText">The button's words.</param>
/// <param name="Initiate">Whether the button reads everyone ("Initiate synchronisation") or only the changes (the hourly run).</param>
/// <param name="ReturnPage">The page to come back to.</param>
public sealed record SyncControl(SyncStatus Status, string ButtonId, string ButtonText, bool Initiate, string ReturnPage);
