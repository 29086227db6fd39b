using System.Globalization;
using System.Text.RegularExpressions;
using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Tests;

/// <summary>A sync killed mid-run (SIGKILL: no cleanup) blocks its tenant only until its short lease runs out.</summary>
public sealed partial class KilledRunTests : IAsyncLifetime, IDisposable
{
    // Long enough that the first sync after the kill starts well inside what is left of the lease even on a loaded
    // machine (a process start took over 6 s at load 22 with the former 10 s lease), short enough to wait out.
    private const string Lease = "00:00:30";
    private readonly ToolRunner _cli = new();
    private GraphEmulator _emulator = null!;
    private string[] _connection = [];

    public async Task InitializeAsync()
    {
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = 40, Seed = 5 });
        _connection = ["--graph-url", _emulator.GraphBaseUrl, "--access-token", _emulator.CreateAccessToken(_emulator.DefaultTenant.Id)];
        _cli.WithEnvironment("ENTRASYNC_RUN_LEASE_DURATION", Lease);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_sync_after_a_killed_sync_says_how_long_to_wait_then_runs_within_the_lease_duration()
    {
        // The first sync hangs on its /users page (it holds the tenant's lease by then) and is killed there.
        _emulator.Faults.LatencyMs = 120_000;
        _emulator.Faults.PathContains = "/users";
        using (var killed = _cli.StartProcess(["sync", .. _connection]))
        {
            await WaitUntilAsync(() => _emulator.Requests.Any(r => r.PathAndQuery.Contains("/users", StringComparison.Ordinal)) || killed.HasExited, "the first sync to read /users");
            Assert.False(killed.HasExited, "the first sync ended before it could be killed");
            killed.Kill();
            await killed.WaitAsync(TimeSpan.FromSeconds(30));
        }

        _emulator.Faults.Reset();

        // While the killed run's lease lasts, a sync refuses and says how long to wait; each wait it names is at most
        // the lease. Then a sync runs: the lease ran out by itself, nobody released it.
        var refusals = 0;
        CliResult result;
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((result = await _cli.RunProcessAsync(["sync", .. _connection])).ExitCode != 0)
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            var wait = WaitSeconds().Match(result.Error);
            Assert.True(wait.Success, "the refusal names no wait: " + result);
            var seconds = int.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(seconds, 1, 31);
            Assert.Contains("already running in another process", result.Error, StringComparison.Ordinal);
            refusals++;
            Assert.False(giveUp.IsCancellationRequested, "still refused after 3 minutes (lease 30 s): " + result);

            // Do as the message says instead of hammering: wait the seconds it names (at most a few at a time).
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, 5)), giveUp.Token);
        }

        // The killed run renewed its lease every 10 s, so at least 20 s of it were left: the first sync after the
        // kill (a few seconds to start, even on a loaded machine) found it held.
        Assert.True(refusals >= 1, "the first sync after the kill was not refused");

        Assert.Contains("created", result.Out, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(20, limit.Token).ContinueWith(t => Assert.False(t.IsCanceled, "gave up waiting for " + what), TaskScheduler.Default);
        }
    }

    [GeneratedRegex(@"try again in (\d+) s")]
    private static partial Regex WaitSeconds();
}
