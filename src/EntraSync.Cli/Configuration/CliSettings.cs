using System.CommandLine;
using System.Text;
using System.Text.Json;
using EntraSync.Cli.Demo;
using Microsoft.Extensions.Configuration;

namespace EntraSync.Cli.Configuration;

/// <summary>Where the directory is read from.</summary>
internal enum DirectoryKind
{
    /// <summary>The built-in demo tenant (the Graph emulator in process).</summary>
    Demo,

    /// <summary>A Graph-compatible endpoint with a ready bearer token.</summary>
    AccessToken,

    /// <summary>A real tenant, signing in with a client secret or certificate.</summary>
    ClientCredentials,
}

/// <summary>Everything a command needs to know, resolved from the command line, <c>ENTRASYNC_*</c> variables and the config file.</summary>
internal sealed class CliSettings
{
    public required string DbPath { get; init; }

    public required bool Json { get; init; }

    public required bool Verbose { get; init; }

    public required SyncProfile Profile { get; init; }

    public required DirectoryKind Directory { get; init; }

    public string? ConfigPath { get; init; }

    /// <summary>Gets the run lease duration from <c>ENTRASYNC_RUN_LEASE_DURATION</c>, or <see langword="null"/> for the engine's default.</summary>
    public TimeSpan? RunLeaseDuration { get; init; }

    /// <summary>Gets how many users the demo tenant has (<c>--demo-users</c>).</summary>
    public int DemoUsers { get; init; } = DemoDirectory.UserCount;

    /// <summary>Gets where the directory is, in words, without any secret.</summary>
    public string DirectoryDescription => Directory switch
    {
        DirectoryKind.Demo => $"built-in demo tenant ({DemoUsers:N0} generated users, seed {DemoDirectory.Seed})",
        DirectoryKind.AccessToken => $"{Profile.Connection.GraphBaseUrl} (access token)",
        _ => $"tenant {Profile.Connection.TenantId}, app {Profile.Connection.ClientId} ({(string.IsNullOrEmpty(Profile.Connection.ClientSecret) ? "certificate" : "client secret")})",
    };

    /// <summary>Resolves the settings. Throws a usage <see cref="CliException"/> for anything wrong.</summary>
    public static CliSettings Resolve(ParseResult parse, CliConsole console)
    {
        var json = parse.GetValue(CliOptions.Json);
        var verbose = parse.GetValue(CliOptions.Verbose);
        var db = Absolute(NullIfEmpty(parse.GetValue(CliOptions.Db)) ?? NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_DB")) ?? "entrasync.db", console);
        if (System.IO.Directory.Exists(db))
        {
            throw CliException.Usage($"The database path '{db}' is a folder, not a file.", $"Pass a file path, for example --db {Path.Combine(db, "entrasync.db")}.");
        }

        var configPath = NullIfEmpty(parse.GetValue(CliOptions.Config)) ?? NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_CONFIG"));
        SyncProfile profile;
        var fileLayer = new ConnectionLayer("the config file");
        var prefix = "";
        var source = "The profile";
        if (configPath is not null)
        {
            configPath = Absolute(configPath, console);
            (profile, var section, prefix) = ProfileFile.Load(configPath);
            fileLayer = ConnectionLayer.FromSection(section.GetSection(nameof(SyncProfile.Connection)), $"the config file ({prefix}Connection)");
            source = $"The config file '{configPath}'";
        }
        else
        {
            profile = new SyncProfile();
        }

        var envLayer = new ConnectionLayer("the ENTRASYNC_* environment variables")
        {
            GraphUrl = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_GRAPH_URL")),
            AccessToken = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_ACCESS_TOKEN")),
            TenantId = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_TENANT_ID")),
            ClientId = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_CLIENT_ID")),
            ClientSecret = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_CLIENT_SECRET")),
            CertificatePath = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_CERTIFICATE_PATH")),
            CertificatePassword = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_CERTIFICATE_PASSWORD")),
            AuthorityHost = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_AUTHORITY_HOST")),
            TokenScope = NullIfEmpty(console.GetEnvironmentVariable("ENTRASYNC_TOKEN_SCOPE")),
        };
        var cliLayer = new ConnectionLayer("the command line")
        {
            GraphUrl = NullIfEmpty(parse.GetValue(CliOptions.GraphUrl)),
            AccessToken = NullIfEmpty(parse.GetValue(CliOptions.AccessToken)),
            TenantId = NullIfEmpty(parse.GetValue(CliOptions.TenantId)),
            ClientId = NullIfEmpty(parse.GetValue(CliOptions.ClientId)),
            ClientSecret = NullIfEmpty(parse.GetValue(CliOptions.ClientSecret)),
            CertificatePath = NullIfEmpty(parse.GetValue(CliOptions.Certificate)),
            AuthorityHost = NullIfEmpty(parse.GetValue(CliOptions.AuthorityHost)),
            TokenScope = NullIfEmpty(parse.GetValue(CliOptions.TokenScope)),
        };

        var kind = Merge(profile.Connection, [cliLayer, envLayer, fileLayer], console);
        if (kind == DirectoryKind.Demo)
        {
            DemoDirectory.ApplyTo(profile, configured: configPath is not null);
        }
        else if (string.IsNullOrWhiteSpace(profile.TenantId))
        {
            profile.TenantId = kind == DirectoryKind.ClientCredentials
                ? profile.Connection.TenantId!
                : TenantFromToken(profile.Connection.AccessToken!) ?? "default";
        }

        ProfileFile.Validate(profile, source, prefix);
        var demoUsers = parse.GetValue(CliOptions.DemoUsers);
        if (demoUsers is not null && kind != DirectoryKind.Demo)
        {
            throw CliException.Usage("--demo-users sizes the built-in demo tenant, but connection options point at another directory.", "Leave out --demo-users, or the connection options.");
        }

        return new CliSettings
        {
            RunLeaseDuration = RunLease(console.GetEnvironmentVariable("ENTRASYNC_RUN_LEASE_DURATION")),
            DemoUsers = demoUsers ?? DemoDirectory.UserCount,
            DbPath = db,
            Json = json,
            Verbose = verbose,
            Profile = profile,
            Directory = kind,
            ConfigPath = configPath,
        };
    }

    /// <summary>Reads <c>ENTRASYNC_RUN_LEASE_DURATION</c> ("00:00:30"), checked against the range EntraSyncOptions.RunLeaseDuration allows.</summary>
    private static TimeSpan? RunLease(string? value)
    {
        if (NullIfEmpty(value) is not { } text)
        {
            return null;
        }

        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var duration)
            || duration < TimeSpan.FromSeconds(2) || duration > TimeSpan.FromHours(1))
        {
            throw CliException.Usage(
                $"ENTRASYNC_RUN_LEASE_DURATION is \"{text}\", which is not a period from 00:00:02 to 01:00:00.",
                "Give hh:mm:ss, for example 00:00:30; leave it unset for the default of 00:02:00 (EntraSync:RunLeaseDuration).");
        }

        return duration;
    }

    private static DirectoryKind Merge(DirectoryConnectionOptions connection, ConnectionLayer[] layers, CliConsole console)
    {
        // The highest layer that names a sign-in method decides it, so a token on the command line overrides a secret
        // in the config file (and the other way round) instead of the two being mixed.
        ConnectionLayer? method = null;
        foreach (var layer in layers)
        {
            var given = (layer.AccessToken is null ? 0 : 1) + (layer.ClientSecret is null ? 0 : 1) + (layer.CertificatePath is null ? 0 : 1);
            if (given > 1)
            {
                throw CliException.Usage(
                    $"{Capitalize(layer.Source)} give{(layer.Source.EndsWith('s') ? "" : "s")} more than one way to sign in (access token, client secret, certificate).",
                    "Use exactly one: --access-token, --client-secret or --certificate.");
            }

            if (given == 1 && method is null)
            {
                method = layer;
            }
        }

        string? Pick(Func<ConnectionLayer, string?> value) => layers.Select(value).FirstOrDefault(v => v is not null);
        var graphUrl = Pick(l => l.GraphUrl);
        var tenantId = Pick(l => l.TenantId);
        var clientId = Pick(l => l.ClientId);
        var authority = Pick(l => l.AuthorityHost);
        if (graphUrl is not null)
        {
            if (!Uri.TryCreate(graphUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw CliException.Usage($"The Graph URL '{graphUrl}' is not an absolute http(s) URL.", "Pass the service root, for example --graph-url http://127.0.0.1:5080/v1.0.");
            }

            connection.GraphBaseUrl = graphUrl;
        }

        if (authority is not null)
        {
            if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme != "https")
            {
                throw CliException.Usage($"The authority host '{authority}' is not an absolute https URL.", "For example --authority-host https://login.microsoftonline.us/.");
            }

            connection.AuthorityHost = authority;
        }

        connection.TokenScope = Pick(l => l.TokenScope);
        connection.TenantId = tenantId;
        connection.ClientId = clientId;
        connection.AccessToken = method?.AccessToken;
        connection.ClientSecret = method?.ClientSecret;
        connection.CertificatePath = method?.CertificatePath is { } certificate ? Absolute(certificate, console) : null;
        connection.CertificatePassword = method?.CertificatePath is null ? null : Pick(l => l.CertificatePassword);

        if (method is null)
        {
            if (graphUrl is not null || tenantId is not null || clientId is not null)
            {
                var named = graphUrl is not null ? "A Graph URL (--graph-url, ENTRASYNC_GRAPH_URL or Connection:GraphBaseUrl)"
                    : tenantId is not null ? "A tenant id (--tenant-id, ENTRASYNC_TENANT_ID or Connection:TenantId)"
                    : "A client id (--client-id, ENTRASYNC_CLIENT_ID or Connection:ClientId)";
                throw CliException.Usage(
                    $"{named} is given, but no way to sign in.",
                    "Add --access-token TOKEN (for --graph-url), or --client-secret / --certificate PATH with --tenant-id and --client-id. With none of these the tool uses the built-in demo tenant.");
            }

            return DirectoryKind.Demo;
        }

        if (method.AccessToken is not null)
        {
            return DirectoryKind.AccessToken;
        }

        if (tenantId is null || clientId is null)
        {
            var missing = tenantId is null ? "--tenant-id (or ENTRASYNC_TENANT_ID)" : "--client-id (or ENTRASYNC_CLIENT_ID)";
            throw CliException.Usage(
                $"{missing} is missing: signing in with a {(method.ClientSecret is not null ? "client secret" : "certificate")} needs the tenant and the app registration's client id.",
                "Find both on the app registration's Overview page in the Entra admin center.");
        }

        if (method.CertificatePath is not null && !File.Exists(connection.CertificatePath))
        {
            throw CliException.Usage($"The certificate file '{connection.CertificatePath}' does not exist.", "Pass the path of a PFX file, or a PEM file that holds the private key too.");
        }

        return DirectoryKind.ClientCredentials;
    }

    /// <summary>Reads the <c>tid</c> claim of a JWT access token, so the tenant key follows the token; <see langword="null"/> for other tokens.</summary>
    internal static string? TenantFromToken(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return document.RootElement.TryGetProperty("tid", out var tid) && tid.ValueKind == JsonValueKind.String ? tid.GetString() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Absolute(string path, CliConsole console) => Path.GetFullPath(path, console.CurrentDirectory);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The connection settings one source gives.</summary>
    private sealed class ConnectionLayer(string source)
    {
        public string Source { get; } = source;

        public string? GraphUrl { get; init; }

        public string? AccessToken { get; init; }

        public string? TenantId { get; init; }

        public string? ClientId { get; init; }

        public string? ClientSecret { get; init; }

        public string? CertificatePath { get; init; }

        public string? CertificatePassword { get; init; }

        public string? AuthorityHost { get; init; }

        public string? TokenScope { get; init; }

        public static ConnectionLayer FromSection(IConfiguration section, string source) => new(source)
        {
            GraphUrl = NullIfEmpty(section[nameof(DirectoryConnectionOptions.GraphBaseUrl)]),
            AccessToken = NullIfEmpty(section[nameof(DirectoryConnectionOptions.AccessToken)]),
            TenantId = NullIfEmpty(section[nameof(DirectoryConnectionOptions.TenantId)]),
            ClientId = NullIfEmpty(section[nameof(DirectoryConnectionOptions.ClientId)]),
            ClientSecret = NullIfEmpty(section[nameof(DirectoryConnectionOptions.ClientSecret)]),
            CertificatePath = NullIfEmpty(section[nameof(DirectoryConnectionOptions.CertificatePath)]),
            CertificatePassword = NullIfEmpty(section[nameof(DirectoryConnectionOptions.CertificatePassword)]),
            AuthorityHost = NullIfEmpty(section[nameof(DirectoryConnectionOptions.AuthorityHost)]),
            TokenScope = NullIfEmpty(section["TokenScope"]),
        };
    }
}
