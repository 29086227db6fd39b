using EntraSync.Graph.Internal;

namespace EntraSync.Graph.Tests;

/// <summary>Waiting for something another thread does, without timing it.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 5 ms until it holds or <paramref name="within"/> has passed, then asserts it.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!condition() && System.Diagnostics.Stopwatch.GetElapsedTime(started) < within)
        {
            await Task.Delay(5, CancellationToken.None);
        }

        Assert.True(condition());
    }
}

/// <summary>A stream that hands out its bytes a few at a time, like a slow network.</summary>
internal sealed class ChunkedStream(byte[] data, int chunk, int? cutAt = null) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var end = cutAt ?? data.Length;
        var n = Math.Min(Math.Min(chunk, buffer.Length), end - _position);
        if (n <= 0)
        {
            return 0;
        }

        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class Describe
{
    /// <summary>A user as text: id and every property in order, to compare reads.</summary>
    public static string User(DirectoryUser user) =>
        user.Id + "{" + string.Join(";", user.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Kind}:{p.Value}")) + "}";

    public static string Page(GraphPage page) =>
        string.Join("\n", page.Users.Select(User)) + "|removed:" + string.Join(",", page.Removed.Select(r => r.Id + ":" + r.Reason))
        + "|rejected:" + string.Join(",", page.Rejected.Select(r => r.Id + ":" + r.Reason)) + "|next:" + page.NextLink + "|delta:" + page.DeltaLink + "|count:" + page.Count;
}
