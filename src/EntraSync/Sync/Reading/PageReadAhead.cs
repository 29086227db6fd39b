using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace EntraSync.Sync.Reading;

/// <summary>
/// Reads a directory source ahead of the engine: while one page is planned and written, the next is already being
/// fetched and parsed, so a run over a slow directory takes about its network time instead of network time plus
/// processing. At most <c>capacity</c> finished pages wait, so memory stays a few pages.
/// Pages keep their order; a source error surfaces after the pages read before it (as without read-ahead); when the
/// engine stops early (an error, cancellation) the read is cancelled and awaited before this returns.
/// </summary>
internal static class PageReadAhead
{
    public static async IAsyncEnumerable<T> ReadAheadAsync<T>(this IAsyncEnumerable<T> source, int capacity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var item in source.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }
    }
}
