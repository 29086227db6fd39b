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
    double GcPauseSeconds,
    long? PeakLiveHeapBytes = null)
{
    /// <summary>Peak managed heap during the run above the heap (after a full GC) just before it.</summary>
    public long PeakHeapGrowthBytes => PeakHeapBytes - HeapBeforeBytes;

    /// <summary>
    /// Peak of the live heap (after a full collection) during the run above the heap before it: what the run holds,
    /// without the garbage that ephemeral collections promoted and no gen-2 collection has freed yet. Sampled only
    /// when asked for (it forces full collections, which cost the run time).
    /// </summary>
    public long? PeakLiveHeapGrowthBytes => PeakLiveHeapBytes - HeapBeforeBytes;
}

/// <summary>
/// Measures a piece of work: wall time, CPU time of the whole process, bytes allocated by all threads, and the peak
/// managed heap and working set sampled on a timer while it runs. The heap is compacted before the run so the
/// growth is the run's own (the emulator's tenant, loaded before, stays in the base).
/// </summary>
internal static class Measurement
{
    public static async Task<(T Result, Cost Cost)> MeasureAsync<T>(Func<Task<T>> work, bool sampleLiveHeap = false)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var process = Process.GetCurrentProcess();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var peakHeap = heapBefore;
        process.Refresh();
        var peakWorkingSet = process.WorkingSet64;
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var sampling = true;
        var tick = 0;
        long? peakLive = sampleLiveHeap ? heapBefore : null;
        var lastLive = Stopwatch.GetTimestamp();

        void Sample()
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heap > Volatile.Read(ref peakHeap))
            {
                Volatile.Write(ref peakHeap, heap);
            }

            // A full blocking collection every 100 ms (after the previous one ended) gives the live heap.
            if (sampleLiveHeap && Stopwatch.GetElapsedTime(lastLive) > TimeSpan.FromMilliseconds(100))
            {
                var live = GC.GetTotalMemory(forceFullCollection: true);
                peakLive = Math.Max(peakLive ?? 0, live);
                lastLive = Stopwatch.GetTimestamp();
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
            (GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds,
            peakLive));
    }
}
