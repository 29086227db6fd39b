using System.Diagnostics;
using System.Globalization;
using EntraSync.Testing.Emulator;

// entrasync-emulator: serves a generated Entra tenant over Microsoft Graph v1.0 for local development.
//   --urls http://127.0.0.1:5080   where to listen (default http://127.0.0.1:5080; port 0 = free port)
//   --users 500                    generated users in the tenant (default 500)
//   --seed 42                      generator seed (default 42)
//   --tenant <id>                  tenant id (default 00000000-0000-0000-0000-000000000001)
//   --https-urls https://127.0.0.1:5081  also listen on HTTPS with a self-signed certificate (token endpoint for MSAL)
//   --client-id / --client-secret  app registration the token endpoint accepts (defaults printed at start)
//   --benchmark 100000             measure serving N users in pages of 999, print the figures and exit
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = ParseArguments(args);
        if (options.Benchmark is { } benchmarkUsers)
        {
            await Benchmark.RunAsync(benchmarkUsers).ConfigureAwait(false);
            return 0;
        }

        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions
        {
            Url = options.Url,
            EnableHttps = options.HttpsUrl is not null,
            HttpsUrl = options.HttpsUrl ?? new Uri("https://127.0.0.1:0"),
            DefaultTenantId = options.TenantId,
            DefaultTenantUserCount = options.Users,
            Seed = options.Seed,
        }).ConfigureAwait(false);
        emulator.DefaultTenant.AddApplication(options.ClientId, options.ClientSecret);

        Console.WriteLine($"EntraSync Graph emulator: {emulator.DefaultTenant.UserCount} users in tenant {emulator.DefaultTenant.Id} (seed {options.Seed})");
        Console.WriteLine($"  Graph base URL : {emulator.GraphBaseUrl}");
        if (emulator.HttpsBaseAddress is { } https)
        {
            Console.WriteLine($"  HTTPS          : {https}v1.0 (self-signed, SHA-256 {emulator.Certificate!.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)})");
        }

        Console.WriteLine($"  Token endpoint : {emulator.HttpsBaseAddress ?? emulator.BaseAddress}{emulator.DefaultTenant.Id}/oauth2/v2.0/token (client id {options.ClientId}, secret {options.ClientSecret})");
        Console.WriteLine($"  Bearer token   : {emulator.CreateAccessToken()}");
        Console.WriteLine($"  Try            : curl -H \"Authorization: Bearer {emulator.CreateAccessToken()}\" '{emulator.GraphBaseUrl}/users?$top=5'");
        Console.WriteLine($"  Faults         : curl -X POST {emulator.BaseAddress}_emulator/faults -H 'Content-Type: application/json' -d '{{\"status\":429,\"retryAfterSeconds\":1.5,\"rate\":0.3}}'");
        Console.WriteLine($"  Request log    : {emulator.BaseAddress}_emulator/requests");
        Console.WriteLine("Press Ctrl+C to stop.");

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task.ConfigureAwait(false);
        return 0;
    }

    private static Options ParseArguments(string[] args)
    {
        var result = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"Missing value for {name}.");
            i++;
            switch (name)
            {
                case "--urls":
                    result.Url = new Uri(value.Split(';')[0]);
                    break;
                case "--https-urls":
                    result.HttpsUrl = new Uri(value);
                    break;
                case "--users":
                    result.Users = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    result.Seed = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--tenant":
                    result.TenantId = value;
                    break;
                case "--client-id":
                    result.ClientId = value;
                    break;
                case "--client-secret":
                    result.ClientSecret = value;
                    break;
                case "--benchmark":
                    result.Benchmark = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}. Options: --urls, --https-urls, --users, --seed, --tenant, --client-id, --client-secret, --benchmark.");
            }
        }

        return result;
    }
}

internal sealed class Options
{
    public Uri Url { get; set; } = new("http://127.0.0.1:5080");

    public Uri? HttpsUrl { get; set; }

    public int Users { get; set; } = 500;

    public int Seed { get; set; } = 42;

    public string TenantId { get; set; } = "00000000-0000-0000-0000-000000000001";

    public string ClientId { get; set; } = "11111111-2222-3333-4444-555555555555";

    public string ClientSecret { get; set; } = "emulator-secret";

    public int? Benchmark { get; set; }
}

/// <summary>Measures what serving a large tenant costs, so a client benchmark is not measuring the emulator.</summary>
internal static class Benchmark
{
    public static async Task RunAsync(int users)
    {
        var setup = Stopwatch.StartNew();
        await using var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantUserCount = users, Seed = 42, RequestLogCapacity = 0 }).ConfigureAwait(false);
        Console.WriteLine($"Generated and loaded {users:N0} users in {setup.Elapsed.TotalSeconds:0.00} s");
        using var http = emulator.CreateHttpClient();
        var scenarios = new (string Name, string Url)[]
        {
            ("users, default properties, $top=999", "v1.0/users?$top=999"),
            ("users, 16 selected properties, $top=999", "v1.0/users?$top=999&$select=id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,department,companyName,city,country,officeLocation,mobilePhone,businessPhones,proxyAddresses,accountEnabled"),
            ("users/delta initial round (pages of 200)", "v1.0/users/delta?$select=displayName,givenName,surname,mail,jobTitle,department"),
        };
        foreach (var (name, url) in scenarios)
        {
            for (var run = 1; run <= 3; run++)
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                var (pages, bytes) = await ReadAllAsync(http, url).ConfigureAwait(false);
                watch.Stop();
                var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024d / 1024d;
                Console.WriteLine($"{name} run {run}: {pages} pages, {bytes / 1024d / 1024d:0.0} MB in {watch.Elapsed.TotalMilliseconds:0} ms = {users / watch.Elapsed.TotalSeconds:N0} users/s, {bytes / 1024d / 1024d / watch.Elapsed.TotalSeconds:0} MB/s, {allocatedMb:0} MB allocated (client + server)");
            }
        }
    }

    private static async Task<(int Pages, long Bytes)> ReadAllAsync(HttpClient http, string url)
    {
        var pages = 0;
        long bytes = 0;
        string? next = url;
        while (next is not null)
        {
            var body = await http.GetByteArrayAsync(next).ConfigureAwait(false);
            pages++;
            bytes += body.Length;
            next = NextLink(body);
        }

        return (pages, bytes);
    }

    private static string? NextLink(byte[] body)
    {
        // The link sits near the top of each page; read only until it is found.
        var reader = new System.Text.Json.Utf8JsonReader(body);
        var depth = 0;
        while (reader.Read())
        {
            if (reader.TokenType == System.Text.Json.JsonTokenType.StartObject)
            {
                depth++;
            }
            else if (reader.TokenType == System.Text.Json.JsonTokenType.PropertyName && depth == 1)
            {
                var property = reader.GetString();
                if (property == "@odata.nextLink")
                {
                    reader.Read();
                    return reader.GetString();
                }

                if (property == "value")
                {
                    return null;
                }
            }
        }

        return null;
    }
}
