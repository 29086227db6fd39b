using System.Text.Json;
using EntraSync.Tests.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EntraSync.Tests.Telemetry;

public sealed class SecretLoggingTests
{
    private const string Secret = "Zq8~client-secret-VALUE-4f1e";
    private const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOi.access-token-VALUE.sig";
    private const string CertificatePassword = "pfx-password-VALUE-91";

    [Fact]
    public async Task No_secret_appears_in_any_log_line_report_or_health_result()
    {
        await using var h = new OperationsHarness(o => o.QuarantineAfterFailures = 1, builder: b => b.Services.AddHealthChecks().AddEntraSync());
        void Secrets(SyncProfile p)
        {
            p.Connection.TenantId = "11111111-2222-3333-4444-555555555555";
            p.Connection.ClientId = "66666666-7777-8888-9999-000000000000";
            p.Connection.ClientSecret = Secret;
            p.Connection.AccessToken = Token;
            p.Connection.CertificatePassword = CertificatePassword;
        }

        h.AddTenant("works", configure: Secrets);
        h.AddTenant("fails", configure: Secrets);
        h.AddTenant("invalid", configure: p =>
        {
            Secrets(p);
            p.Schedule.Interval = TimeSpan.FromSeconds(5);
        });
        h.Directory.Fail("fails", () => new DirectoryException("The client secret is wrong (AADSTS7000215). Create a new secret.", DirectoryErrorKind.InvalidCredentials));

        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromHours(2));
        var reports = new List<SyncReport>
        {
            await h.Sync.SyncAsync("works", new SyncRunOptions { Mode = SyncMode.Full, DryRun = true }),
            await h.Sync.SyncAsync("fails"),
            await h.Sync.SyncAsync("invalid"),
        };
        var single = await h.Sync.SyncUserAsync("works", ControlledDirectory.UserId(1));
        foreach (var tenant in new[] { "works", "fails", "invalid" })
        {
            reports.AddRange(await h.Sync.GetRunsAsync(tenant));
        }

        var health = (await h.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["entrasync"];

        var logs = h.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Message.Contains("works", StringComparison.Ordinal) && l.StructuredState!.Any(s => s.Key == "RunId"));
        foreach (var log in logs)
        {
            var text = log.Message + " " + string.Join(" ", log.StructuredState?.Select(s => s.Value) ?? []) + " " + log.Exception;
            AssertNoSecret(text, "log line: " + log.Message);
        }

        foreach (var report in reports)
        {
            AssertNoSecret(JsonSerializer.Serialize(report), "report of " + report.TenantId);
        }

        AssertNoSecret(JsonSerializer.Serialize(single), "single-user result");
        AssertNoSecret(JsonSerializer.Serialize(await h.Sync.GetTenantStateAsync("fails")), "tenant state");
        AssertNoSecret(health.Description + JsonSerializer.Serialize(health.Data), "health result");
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }

    private static void AssertNoSecret(string text, string where)
    {
        Assert.False(text.Contains(Secret, StringComparison.Ordinal), $"the client secret leaked into the {where}");
        Assert.False(text.Contains(Token, StringComparison.Ordinal), $"the access token leaked into the {where}");
        Assert.False(text.Contains(CertificatePassword, StringComparison.Ordinal), $"the certificate password leaked into the {where}");
    }
}
