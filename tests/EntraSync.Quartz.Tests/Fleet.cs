using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EntraSync.Quartz.TestHost;
using EntraSync.Testing.Emulator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EntraSync.Quartz.Tests;

/// <summary>
/// A fleet for one test: a database of its own on the PostgreSQL server (eng/postgres.sh), one Graph emulator with
/// many tenants, and host processes (EntraSync.Quartz.TestHost) sharing them, all on loopback.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=entrasync;Password=entrasync;Database=postgres";

    /// <summary>How much faster than the wall clock the nodes' clock runs: a one-minute slot every 10 seconds.</summary>
    public const double Speed = 6;

    private readonly List<Node> _nodes = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("entrasync-quartz-").FullName;
    private readonly DateTimeOffset _epoch = DateTimeOffset.UtcNow;

    private Fleet(GraphEmulator emulator, string database)
    {
        Emulator = emulator;
        DatabaseName = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(Server) { Database = database }.ToString();
        Data = NpgsqlDataSource.Create(ConnectionString);
    }

    public static string Server => Environment.GetEnvironmentVariable("ENTRASYNC_POSTGRES") is { Length: > 0 } value ? value : DefaultServer;

    public GraphEmulator Emulator { get; }

    public string DatabaseName { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource Data { get; }

    public List<string> Tenants { get; } = [];

    public IReadOnlyList<Node> Nodes => _nodes;

    public static async Task<Fleet> StartAsync(int tenants, int usersPerTenant, int latencyMs)
    {
        var database = "entrasync_quartz_" + Guid.NewGuid().ToString("N")[..16];
        await using (var server = new NpgsqlConnection(Server))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {database}", server);
            await create.ExecuteNonQueryAsync();
        }

        var emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { DefaultTenantId = Guid.NewGuid().ToString() });
        var fleet = new Fleet(emulator, database);
        await using (var context = new FleetDbContext(new DbContextOptionsBuilder<FleetDbContext>().UseNpgsql(fleet.ConnectionString).Options))
        {
            await context.Database.EnsureCreatedAsync();
        }

        await using (var ddl = fleet.Data.CreateCommand(RecordingScheduledSync.Ddl))
        {
            await ddl.ExecuteNonQueryAsync();
        }

        var profiles = new List<FleetProfile>();
        for (var i = 0; i < tenants; i++)
        {
            var id = Guid.NewGuid().ToString();
            var tenant = emulator.AddTenant(id);
            new TenantGenerator(seed: i) { Domain = $"t{i}.example", InitialDomain = $"t{i}.onmicrosoft.com" }.Populate(tenant, usersPerTenant);
            fleet.Tenants.Add(id);
            profiles.Add(new FleetProfile { TenantId = id, GraphBaseUrl = emulator.GraphBaseUrl, AccessToken = emulator.CreateAccessToken(id) });
        }

        emulator.Faults.LatencyMs = latencyMs;
        await File.WriteAllTextAsync(fleet.ProfilesPath, JsonSerializer.Serialize(profiles));
        return fleet;
    }

    private string ProfilesPath => Path.Combine(_folder, "profiles.json");

    /// <summary>Starts a node: <c>dotnet EntraSync.Quartz.TestHost.dll</c> with this fleet's settings.</summary>
    /// <param name="name">The node's name in the recorded runs.</param>
    /// <param name="lease">The run lease, in wall-clock time: the EF Core store times leases on the database's clock.</param>
    public Node StartNode(string name, TimeSpan lease)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EntraSync.Quartz.TestHost.dll"));
        start.ArgumentList.Add("node=" + name);
        start.ArgumentList.Add("db=" + ConnectionString);
        start.ArgumentList.Add("profiles=" + ProfilesPath);
        start.ArgumentList.Add("epoch=" + _epoch.ToString("O", CultureInfo.InvariantCulture));
        start.ArgumentList.Add("speed=" + Speed.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("lease=" + lease.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_gcServer"] = "0";
        if (Environment.GetEnvironmentVariable("ENTRASYNC_FLEET_LOG") is { Length: > 0 } level)
        {
            start.ArgumentList.Add("log=" + level);
        }

        if (Environment.GetEnvironmentVariable("ENTRASYNC_FLEET_QUARTZLOG") is { Length: > 0 } quartzLevel)
        {
            start.ArgumentList.Add("quartzlog=" + quartzLevel);
        }

        var node = new Node(name, Process.Start(start)!);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Waits for a condition on the database, checking every 250 ms, failing after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                var logs = string.Join("\n", _nodes.Select(n => $"--- {n.Name} ---\n{n.Output}"));
                var recorded = await ScalarAsync<long>("select count(*) from fleet_runs");
                var succeeded = await ScalarAsync<long>("select count(*) from fleet_runs where outcome = 'Succeeded'");
                Assert.Fail($"Timed out after {timeout} waiting until {what} ({recorded} runs recorded, {succeeded} succeeded).\n{logs}");
            }

            foreach (var node in _nodes.Where(n => !n.Killed && n.Process.HasExited))
            {
                Assert.Fail($"Node {node.Name} exited with {node.Process.ExitCode}:\n{node.Output}");
            }

            await Task.Delay(250);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = Data.CreateCommand(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    public async Task<List<Run>> RunsAsync()
    {
        var runs = new List<Run>();
        await using var command = Data.CreateCommand("select node, tenant, slot, started_at, finished_at, outcome, begun, ended from fleet_runs where outcome is not null order by id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add(new Run(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return runs;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        await Data.DisposeAsync();
        await Emulator.DisposeAsync();
        if (Environment.GetEnvironmentVariable("ENTRASYNC_FLEET_KEEP") == "1")
        {
            // Debugging a failure: keep the database and the profiles to start a node by hand.
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "entrasync-fleet-kept.txt"), $"{ConnectionString}\n{ProfilesPath}\n");
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using (var server = new NpgsqlConnection(Server))
        {
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {DatabaseName} with (force)", server);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A recorded scheduled run: which node, which tenant and slot, its times on the fleet's clock, and on the database's.</summary>
    public sealed record Run(string Node, string Tenant, DateTimeOffset? Slot, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, DateTimeOffset Begun, DateTimeOffset Ended);

    public sealed class Node : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private bool _disposed;

        public Node(string name, Process process)
        {
            Name = name;
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public Process Process { get; }

        public bool Killed { get; private set; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>SIGKILL: no shutdown, no lease release, no Quartz check-out, like an OOM kill.</summary>
        public void Kill()
        {
            Killed = true;
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (!Process.HasExited)
            {
                Killed = true;
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                if (Environment.GetEnvironmentVariable("ENTRASYNC_FLEET_LOGDIR") is { Length: > 0 } dir)
                {
                    File.AppendAllText(Path.Combine(dir, Name + ".log"), line + "\n");
                }

                if (_output.Length < 200_000)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
