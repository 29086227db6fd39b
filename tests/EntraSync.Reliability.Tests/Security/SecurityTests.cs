using System.Text;
using System.Text.Json;
using EntraSync.Reliability.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Security;

public sealed class SecurityTests(ITestOutputHelper output)
{
    private const string ClientSecret = "Zq8~RELIABILITY-client-secret-5f1e";
    private const string WrongSecret = "Wr0ng~RELIABILITY-secret-77aa";

    [Fact]
    public async Task No_secret_token_or_authorization_header_reaches_logs_reports_errors_telemetry_or_the_database()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 300, Https = true, EntityFrameworkLogLevel = Microsoft.Extensions.Logging.LogLevel.Debug });
        stack.Tenant.AddApplication(FullStack.ClientId, ClientSecret);
        var other = stack.Emulator.AddTenant(Guid.NewGuid().ToString(), t => t.UserCount = 0);
        other.AddUsers(People.Range(0, 20, "fabrikam.example"));
        var accessToken = stack.Emulator.CreateAccessToken(other.Id);
        var profile = stack.AddProfile(clientSecret: ClientSecret);
        stack.AddProfile(other, p =>
        {
            p.Connection.GraphBaseUrl = stack.Emulator.HttpsBaseAddress + "v1.0";
            p.Connection.AccessToken = accessToken;
        });
        var reports = new List<SyncReport>();
        var errors = new List<string>();

        reports.Add(await stack.RunAsync(SyncMode.Full));
        reports.Add(await stack.RunAsync(other.Id, SyncMode.Full));
        stack.Emulator.Faults.Status = 429;
        stack.Emulator.Faults.Rate = 0.3;
        stack.Emulator.Faults.RetryAfterSeconds = 0.01;
        reports.Add(await stack.RunAsync(SyncMode.Full));
        reports.Add(await stack.RunAsync(other.Id, SyncMode.Incremental));
        stack.Emulator.Faults.Reset();
        stack.Emulator.Faults.Status = 503;
        stack.Emulator.Faults.Count = 100;
        reports.Add(await stack.RunAsync(other.Id, SyncMode.Full));
        stack.Emulator.Faults.Reset();
        profile.Connection.ClientSecret = WrongSecret;
        reports.Add(await stack.RunAsync(SyncMode.Full));
        profile.Connection.ClientSecret = ClientSecret + "-rotated";
        stack.Tenant.AddApplication(FullStack.ClientId, ClientSecret + "-rotated");
        stack.Token.FailWith = System.Net.HttpStatusCode.ServiceUnavailable;
        reports.Add(await stack.RunAsync(SyncMode.Full));
        stack.Token.FailWith = null;
        using (var cancel = new CancellationTokenSource())
        {
            stack.Http.Before = _ =>
            {
                cancel.Cancel();
                return Task.CompletedTask;
            };
            reports.Add(await stack.RunAsync(SyncMode.Full, cancel.Token));
            stack.Http.Before = null;
        }

        profile.Scope.ODataFilter = "shoeSize eq 42";
        reports.Add(await stack.RunAsync(SyncMode.Full));
        try
        {
            await stack.Sync.SyncUserAsync(stack.TenantId, People.Id(1));
            await stack.Services.GetRequiredService<EntraSync.Connectivity.IDirectoryConnectivityChecker>().CheckConnectivityAsync(profile);
        }
        catch (Exception ex)
        {
            errors.Add(ex.ToString());
        }

        foreach (var tenant in new[] { stack.TenantId, other.Id })
        {
            reports.AddRange(await stack.Sync.GetRunsAsync(tenant));
            errors.Add(JsonSerializer.Serialize(await stack.Sync.GetTenantStateAsync(tenant)));
        }

        // The bearer tokens the token endpoint issued are secrets too: collect every Authorization value that left the process.
        var bearerValues = stack.Http.Sent.Select(s => s.Authorization).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(bearerValues);
        var secrets = new List<string> { ClientSecret, WrongSecret, ClientSecret + "-rotated", accessToken };
        secrets.AddRange(bearerValues);
        secrets.AddRange(bearerValues.Select(v => v.Split(' ').Last()));
        Assert.Contains(reports, r => r.Outcome == SyncOutcome.Succeeded);
        Assert.Contains(reports, r => r.FailureKind == nameof(DirectoryErrorKind.InvalidCredentials));
        Assert.Contains(reports, r => r.Outcome == SyncOutcome.Cancelled);

        var leaks = 0;
        var scanned = 0;
        void Scan(string text, string where)
        {
            scanned++;
            foreach (var secret in secrets.Where(s => text.Contains(s, StringComparison.Ordinal)))
            {
                leaks++;
                output.WriteLine($"LEAK in {where}: {secret[..Math.Min(8, secret.Length)]}...");
            }
        }

        var logs = stack.Logs.GetSnapshot();
        Assert.True(logs.Count > 50, "logs were captured");
        foreach (var log in logs)
        {
            Scan(log.Message + " " + string.Join(" ", log.StructuredState?.Select(s => s.Key + "=" + s.Value) ?? []) + " " + log.Exception, "log " + log.Category);
        }

        foreach (var report in reports)
        {
            Scan(JsonSerializer.Serialize(report), "report");
        }

        foreach (var error in errors)
        {
            Scan(error, "error");
        }

        var telemetry = stack.Telemetry;
        Assert.NotEmpty(telemetry);
        foreach (var item in telemetry)
        {
            Scan(item, "telemetry");
        }

        SqliteConnection.ClearAllPools();
        var database = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(stack.Database.Path)) + (File.Exists(stack.Database.Path + "-wal") ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(stack.Database.Path + "-wal")) : "");
        Scan(database, "database file");

        Assert.Equal(0, leaks);
        Figures.Report(output, "Security: secrets in logs, reports, errors, telemetry, database", faults: reports.Count(r => r.Outcome != SyncOutcome.Succeeded), runs: reports.Count, usersChecked: 320, lost: 0, wronglyRemoved: 0, leakedSecrets: leaks,
            extra: $"{secrets.Distinct().Count()} secret values scanned for in {scanned} texts ({logs.Count} log lines, {telemetry.Count} telemetry items)");
    }

    [Fact]
    public async Task Only_GET_requests_reach_Graph()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 1_200 });
        stack.AddProfile(configure: p =>
        {
            p.Photos.Enabled = true;
            p.Scope.MemberOfGroupIds = [stack.Tenant.AddGroup(new EmulatedGroup { DisplayName = "Staff" })];
            p.Fields.Fields.Add(new FieldMapping { Name = "Groups", Source = FieldMapping.GroupsSource, MultiValue = MultiValueMode.Join });
        });
        stack.Tenant.AddMembers(stack.Profiles.Get(stack.TenantId).Scope.MemberOfGroupIds[0], Enumerable.Range(0, 50).Select(People.Id));
        stack.Tenant.SetPhoto(People.Id(3), Convert.FromBase64String("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="));

        await stack.RunAsync(SyncMode.Full);
        stack.Tenant.DeleteUser(People.Id(7));
        stack.Tenant.UpdateUser(People.Id(8), u => u.JobTitle = "Partner");
        await stack.RunAsync(SyncMode.Incremental);
        await stack.Sync.SyncUserAsync(stack.TenantId, People.Id(9));
        stack.Tenant.ResetDeltaState();
        await stack.RunAsync(SyncMode.Incremental);

        var graph = stack.Emulator.Requests.Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal)).ToList();
        Assert.True(graph.Count > 100, $"{graph.Count} requests");
        Assert.Contains(graph, r => r.Method == "POST");
        // GETs, and photo reads by JSON batch: POST /$batch whose every sub-request is a GET.
        Assert.All(graph, r => Assert.True(r.Method == "GET" || (r.Method == "POST" && r.PathAndQuery == "/v1.0/$batch"), $"{r.Method} {r.PathAndQuery}"));
        Assert.All(stack.Http.Sent, r =>
        {
            if (r.Method != "GET")
            {
                Assert.Equal("POST", r.Method);
                Assert.EndsWith("/v1.0/$batch", r.Url, StringComparison.Ordinal);
                using var batch = JsonDocument.Parse(r.Body!);
                Assert.All(batch.RootElement.GetProperty("requests").EnumerateArray(), sub => Assert.Equal("GET", sub.GetProperty("method").GetString()));
            }
        });
        Assert.Contains(stack.Http.Sent, r => r.Body?.Contains("/photo", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Contains(graph, r => r.PathAndQuery.Contains("Members/", StringComparison.OrdinalIgnoreCase));
        Figures.Report(output, "Security: only GET reaches Graph", faults: 0, runs: 4, usersChecked: 1_200, lost: 0, wronglyRemoved: 0,
            extra: $"{graph.Count} Graph requests, all GET or batches of GETs ({graph.Count(r => r.Method == "POST")} batches)");
    }

    [Fact]
    public async Task One_tenants_run_never_reads_or_writes_another_tenants_rows()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 200, WriteBatchSize = 25 });
        var other = stack.Emulator.AddTenant(Guid.NewGuid().ToString(), t => t.UserCount = 0);
        // The same ids and emails in both tenants: any mix-up would link, update or remove the other tenant's rows.
        other.AddUsers(People.Range(0, 200));
        stack.AddProfile();
        stack.AddProfile(other);
        await stack.AddLocalEmployeeAsync("person500@contoso.example", other.Id);
        await stack.RunAsync(other.Id, SyncMode.Full);
        var otherBefore = Snapshot(await stack.EmployeesAsync(other.Id));

        var first = await stack.RunAsync(SyncMode.Full);
        stack.Tenant.AddUsers(People.Range(500, 1));
        for (var i = 0; i < 8; i++)
        {
            stack.Tenant.DeleteUser(People.Id(i));
            stack.Tenant.UpdateUser(People.Id(100 + i), u => u.JobTitle = "Changed in A only");
        }

        stack.Store.Reset();
        var mark = stack.Emulator.Requests.Count;
        var second = await stack.RunAsync(SyncMode.Full);

        Assert.Equal(200, first.Counts.Created);
        Assert.Equal(0, first.Counts.Linked);
        Assert.Equal(8, second.Counts.Deactivated);
        Assert.Equal(8, second.Counts.Updated);
        Assert.Equal(1, second.Counts.Created);
        Assert.Equal(otherBefore, Snapshot(await stack.EmployeesAsync(other.Id)));
        var employeeCommands = stack.Store.Commands.Where(c => c.Contains($"\"{StoreProbe.Table}\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(employeeCommands);
        // Every search (by directory id, email, the linked list) and set-based write is filtered by tenant; loads by
        // primary key use keys such a search returned. The data check above is the proof; this names the mechanism.
        var tenantScoped = employeeCommands.Where(c => c.Contains("SELECT", StringComparison.Ordinal) || c.TrimStart().StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tenantScoped);
        Assert.All(tenantScoped, c => Assert.True(
            c.Contains("\"TenantId\" = @", StringComparison.Ordinal) || c.Contains("WHERE \"s\".\"Id\" IN (", StringComparison.Ordinal),
            "a command on the employee table neither filters by tenant nor loads by key: " + c));
        Assert.Contains(tenantScoped, c => c.Contains("\"DirectoryId\" IN", StringComparison.Ordinal) && c.Contains("\"TenantId\" = @", StringComparison.Ordinal));
        var graphRequests = stack.Emulator.Requests.Skip(mark).Where(r => r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(graphRequests);
        Assert.All(graphRequests, r => Assert.Equal(stack.TenantId, r.TenantId));
        Figures.Report(output, "Security: tenant isolation (two tenants, one SQLite database)", faults: 0, runs: 3, usersChecked: 400, lost: 0, wronglyRemoved: 0,
            extra: $"{employeeCommands.Count} employee-table commands of tenant A's run, every read and write filtered by tenant; tenant B's 201 rows unchanged");
    }

    [Fact]
    public async Task Sql_injection_shaped_values_in_every_field_are_stored_as_data()
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 10 });
        string[] payloads =
        [
            "'; DROP TABLE SyncedEmployees; --",
            "Robert'); DELETE FROM SyncedEmployees; --",
            "\" OR 1=1; UPDATE \"SyncedEmployees\" SET \"TenantId\" = 'x'; --",
            "x'||(SELECT sqlite_version())||'",
        ];
        for (var i = 0; i < payloads.Length; i++)
        {
            var value = payloads[i];
            stack.Tenant.AddUser(new EmulatedUser
            {
                Id = People.Id(100 + i),
                GivenName = value,
                Surname = value,
                DisplayName = value,
                Mail = $"u{i}{value.Replace(" ", "", StringComparison.Ordinal)}@contoso.example",
                JobTitle = value,
                Department = value,
                CompanyName = value,
                MobilePhone = value,
                FaxNumber = value,
                StreetAddress = value,
                City = value,
                State = value,
                PostalCode = value,
                Country = value,
                BusinessPhones = { value },
                AccountEnabled = true,
            });
        }

        // The host's own key for the tenant is hostile too.
        const string HostileTenant = "contoso'); DELETE FROM \"SyncedEmployees\"; --";
        var profile = stack.AddProfile(configure: p => p.TenantId = HostileTenant);
        await stack.AddLocalEmployeeAsync("bystander@host.example", "bystander-tenant");

        var report = await stack.RunAsync(HostileTenant, SyncMode.Full);
        var again = await stack.RunAsync(HostileTenant, SyncMode.Full);

        Assert.True(report.Outcome == SyncOutcome.Succeeded, string.Join(" ", report.Errors));
        Assert.Equal(10 + payloads.Length, report.Counts.Created);
        Assert.Equal(0, again.Counts.Changes);
        var employees = await stack.EmployeesAsync(HostileTenant);
        Assert.Equal(10 + payloads.Length, employees.Count);
        for (var i = 0; i < payloads.Length; i++)
        {
            var employee = employees.Single(e => e.DirectoryId == People.Id(100 + i));
            foreach (var field in profile.Fields.Fields.Where(f => f.Source is not (FieldMapping.EmailSource or FieldMapping.PhotoSource)))
            {
                Assert.Equal(payloads[i], employee.GetField(field.Name));
            }

            Assert.Equal($"u{i}{payloads[i].Replace(" ", "", StringComparison.Ordinal)}@contoso.example", employee.Email);
        }

        Assert.Single(await stack.EmployeesAsync("bystander-tenant"));
        Assert.Single((await stack.Sync.GetRunsAsync(HostileTenant)).Take(1), r => r.TenantId == HostileTenant);
        Figures.Report(output, "Security: SQL-injection-shaped values stored as data", faults: payloads.Length * 14 + 1, runs: 2, usersChecked: employees.Count, lost: 0, wronglyRemoved: 0,
            extra: "every field and the tenant key verbatim, no other row touched");
    }

    private static string Snapshot(IEnumerable<EntraSync.EntityFrameworkCore.SyncedEmployee> rows) =>
        string.Join("\n", rows.OrderBy(r => r.Id).Select(r => $"{r.Id}|{r.DirectoryId}|{r.Email}|{r.Fields}|{r.ContentHash}|{r.DeactivatedAt}|{r.Version}"));
}
