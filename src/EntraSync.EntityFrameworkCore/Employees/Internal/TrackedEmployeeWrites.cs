namespace EntraSync.EntityFrameworkCore.Employees.Internal;

/// <summary>
/// Registered as a service, makes the EF Core employee store insert new employees through EF Core's change tracker
/// (the path other providers use) instead of set-based, so tests run the conformance suite over both paths.
/// </summary>
internal sealed class TrackedEmployeeWrites;
