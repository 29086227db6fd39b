using Microsoft.Extensions.Options;

namespace EntraSync.ChangeFeed.Internal;

/// <summary>Checks <see cref="ChangeFeedOptions"/> at start-up, naming the option and the fix.</summary>
internal sealed class ChangeFeedOptionsValidator : IValidateOptions<ChangeFeedOptions>
{
    internal const string Section = "EntraSync:ChangeFeed";

    public ValidateOptionsResult Validate(string? name, ChangeFeedOptions options)
    {
        var errors = new List<string>();
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:PollInterval is {options.PollInterval}. Use 1 second to 1 hour, for example \"00:00:30\".");
        }

        if (options.Retention < TimeSpan.Zero || options.Retention > TimeSpan.FromDays(365))
        {
            errors.Add($"{Section}:Retention is {options.Retention}. Use 0 (remove events once every handler acknowledged them) up to 365 days, for example \"7.00:00:00\".");
        }

        if (options.RetryDelay < TimeSpan.FromMilliseconds(10) || options.RetryDelay > options.MaxRetryDelay)
        {
            errors.Add($"{Section}:RetryDelay is {options.RetryDelay}. Use 10 ms up to MaxRetryDelay ({options.MaxRetryDelay}), for example \"00:00:01\".");
        }

        if (options.MaxRetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:MaxRetryDelay is {options.MaxRetryDelay}. Use at most 1 day, for example \"00:05:00\".");
        }

        if (options.ReadBatchSize is < 1 or > 10_000)
        {
            errors.Add($"{Section}:ReadBatchSize is {options.ReadBatchSize}. Use 1 to 10000, for example 500.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
