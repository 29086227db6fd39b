using Microsoft.Extensions.Options;

namespace EntraSync.Graph.Internal;

/// <summary>Checks <see cref="GraphSourceOptions"/> at start-up; each message names the option and the fix.</summary>
internal sealed class GraphSourceOptionsValidator : IValidateOptions<GraphSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"GraphSourceOptions.MaxRetries is {options.MaxRetries}; use 0 to 20.");
        }

        if (options.MaxPageAttempts is < 1 or > 10)
        {
            failures.Add($"GraphSourceOptions.MaxPageAttempts is {options.MaxPageAttempts}; use 1 to 10.");
        }

        if (options.MaxPagesPerRead < 1)
        {
            failures.Add($"GraphSourceOptions.MaxPagesPerRead is {options.MaxPagesPerRead}; use at least 1 (the default is 50000).");
        }

        if (options.MaxPageBytes < 64 * 1024)
        {
            failures.Add($"GraphSourceOptions.MaxPageBytes is {options.MaxPageBytes}; use at least 65536 bytes (the default is 64 MiB).");
        }

        if (options.MaxPhotoBytes < 1024)
        {
            failures.Add($"GraphSourceOptions.MaxPhotoBytes is {options.MaxPhotoBytes}; use at least 1024 bytes (the default is 8 MiB).");
        }

        if (options.PhotoRequestsPerBatch is < 1 or > 20)
        {
            failures.Add($"GraphSourceOptions.PhotoRequestsPerBatch is {options.PhotoRequestsPerBatch}; use 2 to 20 to batch photo requests (Microsoft Graph takes at most 20 per batch), or 1 to send one GET per request.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add("GraphSourceOptions.RetryBaseDelay must be positive, for example 00:00:01.");
        }

        if (options.MaxRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("GraphSourceOptions.MaxRetryDelay must be positive, for example 00:05:00.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add("GraphSourceOptions.RequestTimeout must be positive, for example 00:01:40.");
        }

        if (!Enum.IsDefined(options.FullReadStrategy))
        {
            failures.Add($"GraphSourceOptions.FullReadStrategy '{options.FullReadStrategy}' is not one of {string.Join(", ", Enum.GetNames<GraphFullReadStrategy>())}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
