using Microsoft.Extensions.Options;

namespace EntraSync.ChangeNotifications.Internal;

/// <summary>Checks <see cref="ChangeNotificationOptions"/> at start-up; each message names the option and the fix.</summary>
internal sealed class ChangeNotificationOptionsValidator : IValidateOptions<ChangeNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ChangeNotificationOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        CheckUrl(errors, "ChangeNotifications:NotificationUrl", options.NotificationUrl, required: true);
        CheckUrl(errors, "ChangeNotifications:LifecycleNotificationUrl", options.LifecycleNotificationUrl, required: false);
        if (options.SubscriptionLifetime <= TimeSpan.FromMinutes(45) || options.SubscriptionLifetime > ChangeNotificationOptions.MaxSubscriptionLifetime)
        {
            errors.Add($"ChangeNotifications:SubscriptionLifetime is {options.SubscriptionLifetime}; set it between 45 minutes and 41,760 minutes (29 days), Graph's limit for users.");
        }

        if (options.RenewBefore <= TimeSpan.Zero || options.RenewBefore >= options.SubscriptionLifetime)
        {
            errors.Add($"ChangeNotifications:RenewBefore is {options.RenewBefore}; set it above zero and below ChangeNotifications:SubscriptionLifetime ({options.SubscriptionLifetime}).");
        }

        if (options.CheckInterval <= TimeSpan.Zero || options.CheckInterval >= options.RenewBefore)
        {
            errors.Add($"ChangeNotifications:CheckInterval is {options.CheckInterval}; set it above zero and below ChangeNotifications:RenewBefore ({options.RenewBefore}) so a renewal is never missed.");
        }

        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(5))
        {
            errors.Add($"ChangeNotifications:Debounce is {options.Debounce}; set it between 0 and 5 minutes (the default is 3 seconds).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(List<string> errors, string option, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add($"{option} is empty; set it to the public HTTPS URL where the app maps MapEntraSyncNotifications, e.g. https://app.example.com/entrasync/notifications.");
            }

            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            errors.Add($"{option} '{value}' is not an absolute HTTPS URL; Microsoft Graph only posts to HTTPS (http is accepted for loopback, for tests).");
        }
    }
}
