using System.Globalization;
using Microsoft.EntityFrameworkCore;

/// <summary>What a full sync cost: wall clock, CPU time of the process, bytes allocated, full (gen 2) collections, the time the GC paused the process, and the pages the OS mapped for it (minor page faults).</summary>
internal sealed record FullSync(TimeSpan Wall, TimeSpan Cpu, long Allocated, int Gen2 = 0, TimeSpan GcPause = default, long PageFaults = 0);

/// <summary>
/// The change feed's cost side by side in one process: a warm-up round, then <c>rounds</c> of a full sync without and
/// with the feed, each on a fresh database, the order alternating per round (without first, then with first, ...), so
/// drift in the machine's load falls on both. Prints every run, the means and what the feed adds.
/// </summary>
internal static class FeedCompare
{
    public delegate Task<FullSync> Run(string provider, Action<DbContextOptionsBuilder> configure, bool withFeed, List<string> breakdown);

    public static async Task RunAsync(string which, int users, int rounds, Run run)
    {
        if (which is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("feed-compare runs on sqlite or postgres.");
        }

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var without = new List<FullSync>();
        var with = new List<FullSync>();
        Console.WriteLine($"| Provider | Scenario | Users read | Changes | Time | INSERT / UPDATE statements on employees | All statements |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        // Round 0 warms the process up and is not counted: the first big sync of a process pays for tiering up EF Core's
        // and the engine's code (measured: 7.1 s against 3.5-3.8 s for the same sync later in the process).
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var withFeed in round % 2 == 1 ? new[] { false, true } : [true, false])
            {
                var result = await BenchDatabases.OnFreshDatabaseAsync(which, configure => run(which == "sqlite" ? "SQLite" : "PostgreSQL", configure, withFeed, []));
                if (round > 0)
                {
                    (withFeed ? with : without).Add(result);
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Full sync of {users:N0} new users, {rounds} round(s) after a warm-up round, load average {load} at the start and {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end:");
        Console.WriteLine();
        Console.WriteLine("| Run | Without the feed: wall / CPU, allocated, gen 2 GCs, GC pause, page faults | With the feed: wall / CPU, allocated, gen 2 GCs, GC pause, page faults |");
        Console.WriteLine("| --- | ---: | ---: |");
        for (var i = 0; i < rounds; i++)
        {
            Console.WriteLine($"| {i + 1} ({(i % 2 == 0 ? "without first" : "with first")}) | {Format(without[i])} | {Format(with[i])} |");
        }

        var a = Mean(without);
        var b = Mean(with);
        Console.WriteLine($"| mean | {Format(a)} | {Format(b)} |");
        var c = Median(without);
        var d = Median(with);
        Console.WriteLine($"| median | {Format(c)} | {Format(d)} |");
        Console.WriteLine();
        Console.WriteLine($"The feed adds {Percent(b.Wall.TotalSeconds, a.Wall.TotalSeconds)} wall, {Percent(b.Cpu.TotalSeconds, a.Cpu.TotalSeconds)} CPU, {Percent(b.Allocated, a.Allocated)} allocated to the means;");
        Console.WriteLine($"{Percent(d.Wall.TotalSeconds, c.Wall.TotalSeconds)} wall, {Percent(d.Cpu.TotalSeconds, c.Cpu.TotalSeconds)} CPU, {Percent(d.Allocated, c.Allocated)} allocated to the medians (target: at most +10%).");
    }

    private static FullSync Mean(List<FullSync> runs) =>
        new(TimeSpan.FromTicks((long)runs.Average(r => r.Wall.Ticks)), TimeSpan.FromTicks((long)runs.Average(r => r.Cpu.Ticks)), (long)runs.Average(r => r.Allocated), (int)Math.Round(runs.Average(r => r.Gen2)), TimeSpan.FromTicks((long)runs.Average(r => r.GcPause.Ticks)), (long)runs.Average(r => r.PageFaults));

    /// <summary>Each measure's own median (a middle run's wall and another's CPU can differ): one slow run under load does not move it.</summary>
    private static FullSync Median(List<FullSync> runs)
    {
        static T Middle<T>(IEnumerable<T> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        return new(Middle(runs.Select(r => r.Wall)), Middle(runs.Select(r => r.Cpu)), Middle(runs.Select(r => r.Allocated)), Middle(runs.Select(r => r.Gen2)), Middle(runs.Select(r => r.GcPause)), Middle(runs.Select(r => r.PageFaults)));
    }

    private static string Format(FullSync run) =>
        string.Create(CultureInfo.InvariantCulture, $"{run.Wall.TotalSeconds:0.00} / {run.Cpu.TotalSeconds:0.00} s, {run.Allocated / 1e6:N0} MB, {run.Gen2}, {run.GcPause.TotalSeconds:0.00} s, {run.PageFaults:N0}");

    private static string Percent(double with, double without) =>
        string.Create(CultureInfo.InvariantCulture, $"{(with / without - 1) * 100:+0.0;-0.0}%");
}
