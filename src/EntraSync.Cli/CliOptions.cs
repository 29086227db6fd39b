using System.CommandLine;

namespace EntraSync.Cli;

/// <summary>The options every command takes: where the directory is, where the store is, the profile, and the output form.</summary>
internal static class CliOptions
{
    public static readonly Option<string> Db = new("--db")
    {
        Description = "The SQLite database the employees and sync state are kept in.",
        HelpName = "PATH",
        Recursive = true,
    };

    public static readonly Option<string> Config = new("--config")
    {
        Description = "A JSON profile (field map, filters, matching, removal policy, thresholds, connection) in the same shape as appsettings.",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document instead of text (schema in docs/cli.md).",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log what the tool does to standard error, and show stack traces on errors.",
        Recursive = true,
    };

    public static readonly Option<string> GraphUrl = new("--graph-url")
    {
        Description = "A Graph-compatible endpoint (the standalone emulator, a proxy, a national cloud). Env: ENTRASYNC_GRAPH_URL.",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<string> AccessToken = new("--access-token")
    {
        Description = "A ready bearer token for --graph-url. Env: ENTRASYNC_ACCESS_TOKEN.",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public static readonly Option<string> TenantId = new("--tenant-id")
    {
        Description = "The Entra tenant id or domain of a real tenant. Env: ENTRASYNC_TENANT_ID.",
        HelpName = "ID",
        Recursive = true,
    };

    public static readonly Option<string> ClientId = new("--client-id")
    {
        Description = "The app registration's application (client) id. Env: ENTRASYNC_CLIENT_ID.",
        HelpName = "ID",
        Recursive = true,
    };

    public static readonly Option<string> ClientSecret = new("--client-secret")
    {
        Description = "The app registration's client secret (never printed). Prefer ENTRASYNC_CLIENT_SECRET: command lines are visible to other users.",
        HelpName = "SECRET",
        Recursive = true,
    };

    public static readonly Option<string> Certificate = new("--certificate")
    {
        Description = "A certificate (PFX, or PEM with its key) to sign in with instead of a secret. Env: ENTRASYNC_CERTIFICATE_PATH; its password: ENTRASYNC_CERTIFICATE_PASSWORD.",
        HelpName = "PATH",
        Recursive = true,
    };

    public static readonly Option<string> AuthorityHost = new("--authority-host")
    {
        Description = "The Entra sign-in host, for national clouds (default https://login.microsoftonline.com/). Env: ENTRASYNC_AUTHORITY_HOST.",
        HelpName = "URL",
        Recursive = true,
    };

    public static readonly Option<string> TokenScope = new("--token-scope")
    {
        Description = "The scope to ask Entra ID for when --graph-url is a proxy or emulator rather than Graph itself (default: derived from --graph-url). Env: ENTRASYNC_TOKEN_SCOPE.",
        HelpName = "SCOPE",
        Recursive = true,
    };

    public static readonly Option<int?> DemoUsers = new("--demo-users")
    {
        Description = "How many users the built-in demo tenant has (default 300, up to 1,000,000), to try the tool on a realistic tenant. Use a fresh --db when you change it: another size is another directory.",
        HelpName = "N",
        Recursive = true,
    };

    public static readonly Option<string> Tenant = new("--tenant")
    {
        Description = "The tenant to show or decide for (employees, runs, approve, reject). Needed only when the database holds several tenants; by default the connection options' tenant, or the database's only tenant.",
        HelpName = "ID",
        Recursive = true,
    };

    /// <summary>Makes a whole-number option reject values outside <paramref name="minimum"/> to <paramref name="maximum"/> as a usage error.</summary>
    public static T Between<T>(this T option, int minimum, int maximum)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var value) && (value < minimum || value > maximum))
            {
                result.AddError($"{option.Name} must be between {minimum:N0} and {maximum:N0}.");
            }
        });
        return option;
    }

    /// <summary>Makes a whole-number option reject values below <paramref name="minimum"/> as a usage error.</summary>
    public static T AtLeast<T>(this T option, int minimum)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            // A value that is not a number gets System.CommandLine's own error; only numbers are checked here.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var value) && value < minimum)
            {
                result.AddError($"{option.Name} must be {minimum} or more.");
            }
        });
        return option;
    }

    public static IEnumerable<Option> All =>
        [Db, Config, Json, Verbose, GraphUrl, AccessToken, TenantId, ClientId, ClientSecret, Certificate, AuthorityHost, TokenScope, Tenant, DemoUsers.Between(1, Demo.DemoDirectory.MaxUserCount)];
}
