using System.Globalization;
using System.Text.RegularExpressions;
using EntraSync.Cli.Tests.TestSupport;
using EntraSync.Testing.Emulator;

namespace EntraSync.Cli.Tests;

/// <summary>A sync killed mid-run (SIGKILL: no cleanup) blocks its tenant only until its short lease runs out.</summary>
public sealed partial class KilledRunTests : IAsyncLifetime, IDisposable
{
    private const string Lease = "00:00:10";
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
        // the lease. Then (a few attempts later: each takes about a second to start) a sync runs.
        var refusals = 0;
        CliResult result;
        while ((result = await _cli.RunProcessAsync(["sync", .. _connection])).ExitCode != 0)
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            var wait = WaitSeconds().Match(result.Error);
            Assert.True(wait.Success, "the refusal names no wait: " + result);
            Assert.InRange(int.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture), 1, 11);
            Assert.Contains("already running in another process", result.Error, StringComparison.Ordinal);
            Assert.True(++refusals <= 15, "still refused after 15 attempts: " + result);
        }

        // The killed run renewed its lease every 3.3 s, so at least 6.6 s of it were left: the first sync after the
        // kill (about a second to start) found it held.
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
