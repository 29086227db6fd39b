using Microsoft.Extensions.Options;

namespace EntraSync.Scheduling.Internal;

/// <summary>Checks <see cref="EntraSyncSchedulerOptions"/> at start-up, naming the option and the fix.</summary>
internal sealed class EntraSyncSchedulerOptionsValidator : IValidateOptions<EntraSyncSchedulerOptions>
{
    internal const string Section = "EntraSync:Scheduler";

    public ValidateOptionsResult Validate(string? name, EntraSyncSchedulerOptions options)
    {
        var errors = new List<string>();
        if (options.MaxConcurrentRuns is < 1 or > 1_000)
        {
            errors.Add($"{Section}:MaxConcurrentRuns is {options.MaxConcurrentRuns}. Use 1 to 1000; each run holds one directory read and store batch at a time.");
        }

        if (options.Jitter < TimeSpan.Zero || options.Jitter > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:Jitter is {options.Jitter}. Use 0 (no jitter) up to 1 day, for example \"00:10:00\".");
        }

        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:PollInterval is {options.PollInterval}. Use 1 second to 1 hour, for example \"00:01:00\".");
        }

        if (options.ProfileRefreshInterval < options.PollInterval)
        {
            errors.Add($"{Section}:ProfileRefreshInterval is {options.ProfileRefreshInterval}, shorter than PollInterval ({options.PollInterval}). Use at least PollInterval, for example \"00:05:00\".");
        }

        if (options.QuarantineAfterFailures is < 1 or > 1_000)
        {
            errors.Add($"{Section}:QuarantineAfterFailures is {options.QuarantineAfterFailures}. Use 1 to 1000 (3 quarantines after the third failure in a row for the same reason).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
