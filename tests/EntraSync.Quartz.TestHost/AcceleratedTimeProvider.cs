namespace EntraSync.Quartz.TestHost;

/// <summary>
/// A clock that runs <c>speed</c> times faster than the wall clock from a shared epoch, with timers to match, so that
/// several rounds of one-minute slots fit in a test; every process given the same epoch and speed reads the same time.
/// </summary>
public sealed class AcceleratedTimeProvider(DateTimeOffset epoch, double speed) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var real = System.GetUtcNow();
        return epoch + TimeSpan.FromTicks((long)((real - epoch).Ticks * speed));
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new Timer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);

    /// <summary>Gets how many times faster than the wall clock this clock runs.</summary>
    public double Speed => speed;

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? t : TimeSpan.FromTicks((long)(t.Ticks / speed));

    private sealed class Timer(ITimer inner, AcceleratedTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Scale(dueTime), owner.Scale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
