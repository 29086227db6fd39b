using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>
/// Full syncs at 10k, 100k and 1M users, each in a process of its own (so one size's heap and working set do not
/// colour the next): EntraSync into a store that keeps nobody (engine + source), EntraSync into the in-memory store,
/// and the baseline into EF Core's in-memory provider. Writes the figures and the chart next to docs/benchmarks.md.
/// </summary>
internal static class Sweep
{
    public static async Task<List<Row>> RunAsync(Settings settings)
    {
        var largest = settings.UsersGiven ? settings.Users : 1_000_000;
        var sizes = new[] { 10_000, 100_000, 1_000_000 }.Where(s => s <= largest).ToArray();
        var rows = new List<Row>();
        foreach (var (scenario, store) in new[] { ("memory", "discard"), ("full", "memory"), ("baseline", "memory") })
        {
            foreach (var users in sizes)
            {
                Console.Error.WriteLine($"sweep: {scenario} --store {store} --users {users}");
                rows.AddRange(await RunChildAsync($"{scenario} --store {store} --users {users} --latency-ms {settings.LatencyMs} --json"));
            }
        }

        var docs = FindDocs();
        var data = new StringBuilder("# users  entrasync_wall_s  entrasync_heap_mb  baseline_wall_s  baseline_heap_mb  engine_source_heap_mb  entrasync_alloc_mb  baseline_alloc_mb  engine_source_live_heap_mb\n");
        foreach (var users in sizes)
        {
            var engine = rows.Single(r => r.Users == users && r.Store == "discard" && r.Cost.LiveHeapGrowthBytes is null);
            var engineLive = rows.Single(r => r.Users == users && r.Store == "discard" && r.Cost.LiveHeapGrowthBytes is not null);
            var ours = rows.Single(r => r.Users == users && r.Store == "memory" && r.System == "EntraSync");
            var theirs = rows.Single(r => r.Users == users && r.System.StartsWith("baseline", StringComparison.Ordinal));
            data.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{users} {ours.Cost.WallSeconds:0.000} {Mb(ours.Cost.PeakHeapGrowthBytes)} {theirs.Cost.WallSeconds:0.000} {Mb(theirs.Cost.PeakHeapGrowthBytes)} {Mb(engine.Cost.PeakHeapGrowthBytes)} {Mb(ours.Cost.AllocatedBytes)} {Mb(theirs.Cost.AllocatedBytes)} {Mb(engineLive.Cost.LiveHeapGrowthBytes ?? 0)}"));
        }

        if (sizes.Length >= 2)
        {
            foreach (var group in rows.GroupBy(r => (r.System, r.Store, Live: r.Cost.LiveHeapGrowthBytes is not null)))
            {
                var small = group.MinBy(r => r.Users)!;
                var large = group.MaxBy(r => r.Users)!;
                var (what, growth) = group.Key.Live
                    ? ("live heap at the end of the read", (Func<Row, long>)(r => r.Cost.LiveHeapGrowthBytes ?? 0))
                    : ("peak heap", r => r.Cost.PeakHeapGrowthBytes);
                var slope = (growth(large) - growth(small)) / (double)(large.Users - small.Users);
                large.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{what} grows {slope:0} bytes per user from {small.Users:N0} to {large.Users:N0} users (fixed base about {Mb(growth(small) - (long)(slope * small.Users))} MB){(group.Key.Store == "discard" ? slope <= 200 ? " (met: target 200)" : " (NOT MET: target 200)" : "")}"));
            }
        }

        if (docs is not null)
        {
            var dataPath = Path.Combine(docs, "benchmarks-end-to-end.dat");
            await File.WriteAllTextAsync(dataPath, data.ToString());
            await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks-end-to-end.json"), JsonSerializer.Serialize(rows, Report.Json));
            Console.Error.WriteLine($"sweep: wrote {dataPath}");
            await PlotAsync(docs);
        }

        return rows;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task<List<Row>> RunChildAsync(string arguments)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(Sweep).Assembly.Location);
        }

        foreach (var argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return JsonSerializer.Deserialize<List<Row>>(output, Report.Json)
            ?? throw new InvalidOperationException($"'{arguments}' printed no rows (exit code {child.ExitCode}).");
    }

    private static string? FindDocs()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EntraSync.sln")))
            {
                return Path.Combine(dir.FullName, "docs");
            }
        }

        return null;
    }

    private static async Task PlotAsync(string docs)
    {
        var script = Path.Combine(docs, "benchmarks-end-to-end.gnuplot");
        if (!File.Exists(script))
        {
            return;
        }

        try
        {
            using var gnuplot = Process.Start(new ProcessStartInfo("gnuplot", [Path.GetFileName(script)]) { WorkingDirectory = docs, UseShellExecute = false })!;
            await gnuplot.WaitForExitAsync();
            Console.Error.WriteLine(gnuplot.ExitCode == 0 ? "sweep: drew benchmarks-end-to-end.png" : $"sweep: gnuplot exited with {gnuplot.ExitCode}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("sweep: gnuplot is not installed (apt-get install -y gnuplot-nox); the chart was not redrawn.");
        }
    }
}
