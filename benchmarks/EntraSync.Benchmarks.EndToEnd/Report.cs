using System.Globalization;
using System.Text.Json;

namespace EntraSync.Benchmarks.EndToEnd;

internal static class Report
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Print(List<Row> rows, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, Json));
            return;
        }

        Console.WriteLine("| Scenario | System | Store | Users | Latency | Wall | CPU | Allocated | Peak heap growth | Peak working set | Graph requests | Store lookups / write batches | Employees written | SQL statements (employee writes) |");
        Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var c = r.Cost;
            var sql = r.SqlStatements == 0 ? "-" : $"{r.SqlStatements:N0} ({r.SqlEmployeeWrites:N0})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.System} | {r.Store} | {r.Users:N0} | {r.LatencyMs} ms | {c.WallSeconds:0.00} s | {c.CpuSeconds:0.00} s | {Mb(c.AllocatedBytes)} | {Mb(c.PeakHeapGrowthBytes)}{(c.LiveHeapGrowthBytes is { } live ? $" (live {Mb(live)})" : "")} | {Mb(c.PeakWorkingSetBytes)} | {r.GraphRequests:N0}{(r.Throttled > 0 ? $" ({r.Throttled} x 429)" : "")} | {r.StoreFinds:N0} / {r.StoreBatches:N0} | {r.EmployeesWritten:N0} | {sql} |"));
        }

        Console.WriteLine();
        foreach (var r in rows)
        {
            Console.WriteLine($"* {r.System}, {r.Scenario}: {r.Outcome}; GCs {r.Cost.Gen0}/{r.Cost.Gen1}/{r.Cost.Gen2}, {r.Cost.GcPauseSeconds * 1000:0} ms paused; working set {Mb(r.Cost.WorkingSetBeforeBytes)} before the run, peak {Mb(r.Cost.PeakWorkingSetBytes - r.Cost.WorkingSetBeforeBytes)} above it");
            foreach (var note in r.Notes)
            {
                Console.WriteLine($"  * {note}");
            }
        }
    }

    public static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
