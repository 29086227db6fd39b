using Snippets;

namespace EntraSync.Docs.Tests;

/// <summary>The first sync of docs/getting-started.md works as the page says.</summary>
public sealed class GettingStartedTests
{
    [Fact]
    public async Task The_first_sync_against_the_emulator_imports_the_generated_people()
    {
        var report = await GettingStarted.FirstSyncAsync();

        Assert.Equal(SyncOutcome.Succeeded, report.Outcome);
        Assert.Equal(SyncMode.Full, report.Mode);
        Assert.Equal(50, report.Counts.Read);
        Assert.True(report.Counts.Created > 0, report.Counts.ToString());
        Assert.Equal(report.Counts.Read, report.Counts.Created + report.Counts.Skipped + report.Counts.OutOfScope);
    }
}
