// The end-to-end benchmark: EntraSync against the Graph emulator (in process, over loopback), and the hand-written
// baseline (typed SDK models + PageIterator, EF Core SaveChanges per page, full reload) on the same emulator.
//   dotnet run -c Release --project benchmarks/EntraSync.Benchmarks.EndToEnd -- <scenario> [--users N] [--latency-ms L]
//       [--store memory|sqlite|postgres|discard|testing] [--retry-after S] [--rate R] [--no-warmup] [--warmup-users N] [--json]
// Scenarios: full, baseline, compare, rerun, incremental, throttle, memory, floor, sweep (see docs/benchmarks.md).
using System.Globalization;
using EntraSync.Benchmarks.EndToEnd;

var settings = Settings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("""
        usage: <scenario> [--users N] [--latency-ms L] [--store memory|sqlite|postgres|discard|testing] [--retry-after S] [--rate R] [--no-warmup] [--warmup-users N] [--json]
          full         EntraSync full sync into the store
          baseline     the hand-written sync (typed SDK models + PageIterator, EF Core SaveChanges per page)
          compare      full and baseline side by side on the same emulator, with ratios
          rerun        full sync, then a full rerun and an incremental rerun with no changes (must write nothing)
          incremental  full sync, then 1% changed and 0.1% deleted through delta; baseline reloads everything
          throttle     full sync while 20% of requests get 429 with Retry-After; checks the request log
          memory       full sync into a store that keeps nobody: engine + source heap per user
          floor        full sync into SQLite and into memory, then the raw prepared-INSERT floor of the same rows
          sweep        full and baseline at 10k, 100k, 1M (one process each), writes docs/benchmarks-end-to-end.*
        """);
    return 2;
}

var scenarios = new Scenarios(settings);
var rows = settings.Scenario switch
{
    "full" => await scenarios.FullAsync(),
    "baseline" => await scenarios.BaselineAsync(),
    "compare" => await scenarios.CompareAsync(),
    "rerun" => await scenarios.RerunAsync(),
    "incremental" => await scenarios.IncrementalAsync(),
    "throttle" => await scenarios.ThrottleAsync(),
    "memory" => await scenarios.MemoryAsync(),
    "floor" => await scenarios.FloorAsync(),
    "sweep" => await Sweep.RunAsync(settings),
    _ => null,
};
if (rows is null)
{
    Console.Error.WriteLine($"Unknown scenario '{settings.Scenario}'.");
    return 2;
}

Report.Print(rows, settings.Json);
return rows.Any(r => r.Failed) ? 1 : 0;

internal sealed record Settings(string Scenario, int Users, int LatencyMs, StoreKind Store, double RetryAfterSeconds, double Rate, bool Warmup, bool Json, bool UsersGiven = false, int WarmupUsers = 3_000)
{
    public static Settings? Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var settings = new Settings(args[0].ToLowerInvariant(), 100_000, 0, StoreKind.Memory, 1, 0.2, Warmup: true, Json: false);
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--users" => settings with { Users = int.Parse(Next().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture), UsersGiven = true },
                "--latency-ms" => settings with { LatencyMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--store" => settings with { Store = Enum.Parse<StoreKind>(Next(), ignoreCase: true) },
                "--retry-after" => settings with { RetryAfterSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => settings with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-warmup" => settings with { Warmup = false },
                "--warmup-users" => settings with { WarmupUsers = int.Parse(Next().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) },
                "--json" => settings with { Json = true },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return settings;
    }
}
