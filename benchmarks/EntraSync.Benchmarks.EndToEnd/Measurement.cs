using System.Diagnostics;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>What one measured run cost the process.</summary>
internal sealed record Cost(
    double WallSeconds,
    double CpuSeconds,
    long AllocatedBytes,
    long HeapBeforeBytes,
    long PeakHeapBytes,
    long PeakWorkingSetBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    double GcPauseSeconds)
{
    /// <summary>Peak managed heap during the run above the heap (after a full GC) just before it.</summary>
    public long PeakHeapGrowthBytes => PeakHeapBytes - HeapBeforeBytes;

    /// <summary>Gets what the run held live at the end of its read beyond its first page (see <see cref="LiveHeapProbe"/>), when measured.</summary>
    public long? LiveHeapGrowthBytes { get; init; }

    /// <summary>Gets the process's working set just before the run (the emulator's tenant, the warm-up and the runtime are in it).</summary>
    public long WorkingSetBeforeBytes { get; init; }
}

/// <summary>
/// Measures a piece of work: wall time, CPU time of the whole process, bytes allocated by all threads, and the peak
/// managed heap and working set sampled on a timer while it runs. The heap is compacted before the run so the
/// growth is the run's own (the emulator's tenant, loaded before, stays in the base).
/// </summary>
internal static class Measurement
{
    public static async Task<(T Result, Cost Cost)> MeasureAsync<T>(Func<Task<T>> work)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var process = Process.GetCurrentProcess();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var peakHeap = heapBefore;
        process.Refresh();
        var peakWorkingSet = process.WorkingSet64;
        var workingSetBefore = peakWorkingSet;
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var sampling = true;
        var tick = 0;

        void Sample()
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heap > Volatile.Read(ref peakHeap))
            {
                Volatile.Write(ref peakHeap, heap);
            }

            // Reading the working set costs a /proc read: every 10th sample.
            if (tick++ % 10 == 0)
            {
                using var self = Process.GetCurrentProcess();
                if (self.WorkingSet64 > Volatile.Read(ref peakWorkingSet))
                {
                    Volatile.Write(ref peakWorkingSet, self.WorkingSet64);
                }
            }
        }

        var sampler = new Thread(() =>
        {
            while (Volatile.Read(ref sampling))
            {
                Sample();
                Thread.Sleep(5);
            }
        })
        { IsBackground = true, Name = "heap sampler", Priority = ThreadPriority.AboveNormal };

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBefore = GC.GetTotalPauseDuration();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        sampler.Start();
        var started = Stopwatch.GetTimestamp();
        var result = await work().ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started);
        Volatile.Write(ref sampling, false);
        sampler.Join();
        Sample();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (result, new Cost(
            wall.TotalSeconds,
            cpu.TotalSeconds,
            allocated,
            heapBefore,
            peakHeap,
            peakWorkingSet,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            (GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds) { WorkingSetBeforeBytes = workingSetBefore });
    }
}
