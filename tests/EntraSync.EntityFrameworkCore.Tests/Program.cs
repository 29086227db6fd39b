using EntraSync.EntityFrameworkCore.Tests.ChangeFeed;

namespace EntraSync.EntityFrameworkCore.Tests;

/// <summary>
/// The test assembly's entry point (the test SDK's generated one is turned off): <c>dotnet
/// EntraSync.EntityFrameworkCore.Tests.dll outbox-child ...</c> runs one step of <see cref="OutboxProcessTests"/> in a
/// process of its own, which the step may kill. Test runners never call it.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args) =>
        args is ["outbox-child", .. var rest] ? await OutboxChild.RunAsync(rest) : 2;
}
