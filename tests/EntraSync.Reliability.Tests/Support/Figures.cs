using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Support;

/// <summary>
/// The figures a scenario reports (docs/reliability.md lists them): written to the test output and, when
/// <c>ENTRASYNC_FIGURES</c> names a file, appended to it as one line per scenario.
/// </summary>
public static class Figures
{
    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string scenario, int faults, int runs, int usersChecked, int lost, int wronglyRemoved, int leakedSecrets = 0, string? extra = null)
    {
        var line = $"{scenario} | faults injected: {faults} | runs: {runs} | users checked: {usersChecked} | lost: {lost} | wrongly removed: {wronglyRemoved} | leaked secrets: {leakedSecrets}"
            + (extra is null ? "" : " | " + extra);
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("ENTRASYNC_FIGURES") is { Length: > 0 } path)
        {
            lock (Gate)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
