using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace EntraSync.Graph.Internal;

/// <summary>
/// Retries throttled (429) and unavailable (503, 504, 502, 500) GET requests and JSON batches (which only hold GETs:
/// <see cref="GraphOriginHandler"/> refuses any other), waiting exactly what <c>Retry-After</c>
/// says, fractional seconds included (Graph's published sample is <c>Retry-After: 2.128</c>), else exponential back-off
/// with jitter. It takes the place of the SDK's own retry handler in the SDK pipeline, which reads Retry-After only as
/// whole seconds or an HTTP date and otherwise waits a fixed 3 seconds. Waits run on the injected <see cref="TimeProvider"/>.
/// After the last attempt the last response is returned, so the caller sees Graph's own error.
/// </summary>
internal sealed partial class GraphRetryHandler(GraphSourceOptions options, TimeProvider time, ILogger logger) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<int> AttemptKey = new("EntraSync.Attempt");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var answeredAt = time.GetTimestamp();
            if (!IsRetryable(response.StatusCode) || !(request.Method == HttpMethod.Get || GraphWriteGuard.IsBatch(request.Method, request.RequestUri)) || attempt >= options.MaxRetries)
            {
                return response;
            }

            attempt++;
            var delay = GetDelay(response, attempt);
            if (delay > options.MaxRetryDelay)
            {
                Log.RetryAfterTooLong(logger, (int)response.StatusCode, delay.TotalSeconds, options.MaxRetryDelay.TotalSeconds);
                return response;
            }

            Log.Retrying(logger, (int)response.StatusCode, request.RequestUri?.AbsolutePath, attempt, delay.TotalSeconds);
            response.Dispose();

            // A timer can fire a little early; a retry before Retry-After has passed is refused by Graph (and Dev
            // Proxy), so wait out whatever is left, measured from when the answer arrived.
            for (var left = delay; left > TimeSpan.Zero; left = delay - time.GetElapsedTime(answeredAt))
            {
                await Task.Delay(left, time, cancellationToken).ConfigureAwait(false);
            }
            request.Options.Set(AttemptKey, attempt);
            if (request.Headers.Contains("Retry-Attempt"))
            {
                request.Headers.Remove("Retry-Attempt");
            }

            request.Headers.TryAddWithoutValidation("Retry-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
        }
    }

    internal static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway or HttpStatusCode.InternalServerError;

    /// <summary>Reads Retry-After as (fractional) seconds or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? ParseRetryAfter(values.FirstOrDefault(), now) : null;

    /// <summary>Reads a Retry-After value (a response's header, or a batch sub-response's) as (fractional) seconds or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private TimeSpan GetDelay(HttpResponseMessage response, int attempt)
    {
        if (ParseRetryAfter(response, time.GetUtcNow()) is { } retryAfter)
        {
            return retryAfter;
        }

        return Backoff(options, attempt);
    }

    /// <summary>The wait before retry <paramref name="attempt"/> when Graph sent no Retry-After.</summary>
    internal static TimeSpan Backoff(GraphSourceOptions options, int attempt)
    {
        // No Retry-After: exponential back-off with full jitter, as Graph's throttling guidance recommends.
        var ceiling = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(ceiling, options.MaxRetryDelay.TotalMilliseconds) * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Microsoft Graph answered {Status} for {Path}; retry {Attempt} in {DelaySeconds:0.###} s.")]
        public static partial void Retrying(ILogger logger, int status, string? path, int attempt, double delaySeconds);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Microsoft Graph answered {Status} and asked to wait {DelaySeconds:0.#} s, longer than the {MaxSeconds:0.#} s allowed (GraphSourceOptions.MaxRetryDelay); giving up on this request.")]
        public static partial void RetryAfterTooLong(ILogger logger, int status, double delaySeconds, double maxSeconds);
    }
}
