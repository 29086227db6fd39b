using System.Net;
using EntraSync.Graph.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EntraSync.Graph.Tests;

public sealed class RetryHandlerTests
{
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] responses) : HttpMessageHandler
    {
        private int _next;

        public int Calls => _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(responses[Math.Min(_next++, responses.Length - 1)]());
    }

    private static HttpResponseMessage Throttled(string? retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(Fixtures.Text("error-429-toomanyrequests.json")) };
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    [Fact]
    public async Task A_fractional_Retry_After_is_waited_exactly_before_the_retry()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedHandler(() => Throttled("2.128"), () => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = new HttpClient(new GraphRetryHandler(new GraphSourceOptions(), time, NullLogger.Instance) { InnerHandler = inner });

        var send = client.GetAsync(new Uri("https://graph.microsoft.com/v1.0/users"));
        await WaitUntil(() => inner.Calls == 1);
        time.Advance(TimeSpan.FromMilliseconds(2127));
        await Task.Yield();
        Assert.Equal(1, inner.Calls);
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var response = await send;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task After_the_last_retry_Graphs_own_answer_comes_back()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedHandler(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var client = new HttpClient(new GraphRetryHandler(new GraphSourceOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromSeconds(1) }, time, NullLogger.Instance) { InnerHandler = inner });

        var send = client.GetAsync(new Uri("https://graph.microsoft.com/v1.0/users"));
        while (!send.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1, CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await send).StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_allowed_is_not_waited()
    {
        var inner = new ScriptedHandler(() => Throttled("3600"));
        using var client = new HttpClient(new GraphRetryHandler(new GraphSourceOptions { MaxRetryDelay = TimeSpan.FromMinutes(1) }, new FakeTimeProvider(), NullLogger.Instance) { InnerHandler = inner });

        var response = await client.GetAsync(new Uri("https://graph.microsoft.com/v1.0/users"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData("2.128", 2128)]
    [InlineData("10", 10000)]
    [InlineData("0", 0)]
    [InlineData("Wed, 21 Oct 2015 07:28:30 GMT", 30000)]
    [InlineData("soon", null)]
    public void Retry_After_is_read_as_seconds_or_a_date(string header, int? milliseconds)
    {
        using var response = Throttled(header);

        var wait = GraphRetryHandler.ParseRetryAfter(response, new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero));

        Assert.Equal(milliseconds, wait is null ? null : (int)Math.Round(wait.Value.TotalMilliseconds));
    }

    [Fact]
    public async Task A_timer_that_fires_early_does_not_make_the_retry_early()
    {
        // .NET timers can complete a few milliseconds before their due time; the handler waits out what is left.
        var fake = new FakeTimeProvider();
        var time = new EarlyTimers(fake, early: TimeSpan.FromMilliseconds(10));
        var calls = new List<long>();
        var inner = new ScriptedHandler(
            () => { calls.Add(fake.GetTimestamp()); return Throttled("1"); },
            () => { calls.Add(fake.GetTimestamp()); return new HttpResponseMessage(HttpStatusCode.OK); });
        using var client = new HttpClient(new GraphRetryHandler(new GraphSourceOptions(), time, NullLogger.Instance) { InnerHandler = inner });

        var send = client.GetAsync(new Uri("https://graph.microsoft.com/v1.0/users"));
        await WaitUntil(() => inner.Calls == 1);
        for (var i = 0; i < 1_100 && !send.IsCompleted; i++)
        {
            fake.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(1, CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.OK, (await send).StatusCode);
        Assert.Equal(2, calls.Count);
        Assert.True(fake.GetElapsedTime(calls[0], calls[1]) >= TimeSpan.FromSeconds(1), $"retried after {fake.GetElapsedTime(calls[0], calls[1]).TotalMilliseconds} ms");
    }

    /// <summary>A clock whose timers fire up to <c>early</c> before they are due (at least 1 ms after they are set).</summary>
    private sealed class EarlyTimers(FakeTimeProvider inner, TimeSpan early) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.FromTicks(Math.Max(Math.Min(dueTime.Ticks, TimeSpan.TicksPerMillisecond), (dueTime - early).Ticks)), period);
    }

    private static Task WaitUntil(Func<bool> condition) => Eventually.WaitUntilAsync(condition, TimeSpan.FromSeconds(10));
}
