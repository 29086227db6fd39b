using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Signatures.Xink;
using Signatures.Xink.Integration;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EntraSync.Samples.Tests;

/// <summary>The Xink-style sample (samples/Signatures.Xink) in a real browser, syncing from its demo tenant.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignaturesSampleTests(Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Sync_now_imports_employees_and_an_import_filter_holds_the_removals_for_approval()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);

        await page.GotoAsync("/");
        await Expect(page.GetByText("No sync has run yet")).ToBeVisibleAsync();
        await SyncNowAsync(page);
        var created = int.Parse(await page.Locator("#count-created").InnerTextAsync());
        Assert.True(created > 20, $"the demo tenant has 60 users; the first sync created {created}");
        await Expect(page.Locator("#last-sync")).ToContainTextAsync("Succeeded");
        await Expect(page.Locator("#connection")).ToContainTextAsync("Connected to");
        await Expect(page.Locator("#sync-status")).ToContainTextAsync($"Sync finished: {created} added");
        await ScreenshotAsync(page, "signatures-dashboard");

        await page.ClickAsync("header >> text=Employees");
        var rows = page.Locator("#employees tbody tr");
        await Expect(rows).ToHaveCountAsync(created);
        var departments = await ColumnAsync(page, "Department");
        var sales = departments.Count(d => d == "Sales");
        Assert.InRange(sales, 1, created - 1);

        // Preferences › Integration: import only Sales, with the operator in words.
        await page.ClickAsync("header >> text=Integration");
        var operators = await page.Locator("#Input_Rules_0__Operator option").AllInnerTextsAsync();
        Assert.Contains("equals", operators);
        Assert.Contains("starts with", operators);
        Assert.Contains("is empty", operators);
        Assert.DoesNotContain(operators, o => o.Contains("EqualTo", StringComparison.Ordinal) || o.Contains("IsNull", StringComparison.Ordinal));
        await page.CheckAsync("#Input_UseClientFilter");
        await page.FillAsync("#Input_Rules_0__Property", "department");
        await page.SelectOptionAsync("#Input_Rules_0__Operator", new SelectOptionValue { Label = "equals" });
        await page.FillAsync("#Input_Rules_0__Value", "Sales");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Integration saved");
        await ScreenshotAsync(page, "signatures-integration");

        // Removing most employees at once trips the deletion guard: the dashboard announces the held removals, not "0 removed".
        await page.ClickAsync("header >> text=Dashboard");
        await SyncNowAsync(page);
        await Expect(page.Locator("#staged-removals")).ToContainTextAsync($"{created - sales} removals wait for your approval");
        await Expect(page.Locator("#staged-removals")).ToContainTextAsync("nobody has been removed yet");
        await Expect(page.Locator("#sync-status")).ToContainTextAsync($"{created - sales} removals are held for your approval");
        await Expect(page.Locator("#count-held")).ToContainTextAsync($"{created - sales}");
        await Expect(page.Locator("#count-removed")).ToHaveCountAsync(0);
        await AdminPage.AssertSpeaksToAdminsAsync(page);
        await ScreenshotAsync(page, "signatures-held-removals");
        await page.ClickAsync("text=Approve removals");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{created - sales} employees removed");

        await page.ClickAsync("header >> text=Employees");
        await Expect(rows).ToHaveCountAsync(sales);
        Assert.All(await ColumnAsync(page, "Department"), d => Assert.Equal("Sales", d));
    }

    [Fact]
    public async Task Sync_now_runs_in_the_background_with_live_progress_and_a_second_click_says_a_sync_is_running()
    {
        // The app and its demo tenant on a clock the test moves: the tenant's answer waits until the test lets it go.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures", services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var page = await browser.OpenAsync(host);
        var other = await browser.OpenAsync(host);   // a second tab, opened before the sync starts
        await page.GotoAsync("/");
        await other.GotoAsync("/");

        var emulator = await host.Services.GetRequiredService<DemoTenant>().GetAsync();
        emulator.Faults.LatencyMs = 60_000;   // a slow tenant: every answer waits a minute on the test's clock
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#sync-now")).ToBeDisabledAsync();
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Sync running, started by Sync now");
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("employees in the list so far");
        await ScreenshotAsync(page, "signatures-sync-running");

        await other.ClickAsync("#sync-now");
        await Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("A sync is already running (started by Sync now");
        await Expect(other.Locator("#sync-now")).ToBeDisabledAsync();

        emulator.Faults.Reset();
        await AdminPage.LetTimePassUntilAsync(clock, page.Locator("#sync-now"));   // the waiting answer arrives; the rest come at once
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Sync finished", new() { Timeout = 30_000 });
        await Expect(page.Locator("#sync-now")).ToBeEnabledAsync();
        await Expect(page.Locator("#last-report")).ToBeVisibleAsync();
        await Expect(other.Locator("#sync-status")).ToContainTextAsync("Sync finished", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task A_failed_sync_says_why_in_an_error_banner_and_the_dashboard_does_not_say_connected()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        var emulator = await host.Services.GetRequiredService<DemoTenant>().GetAsync();
        emulator.DefaultTenant.DenyPermission("User.Read.All");

        await page.GotoAsync("/");
        await SyncNowAsync(page, "#sync-failed");
        var banner = page.Locator("#sync-failed");
        await Expect(banner).ToHaveAttributeAsync("role", "alert");
        await Expect(banner).ToContainTextAsync("Sync Failed: the app may not read your users");
        await Expect(banner).ToContainTextAsync("grant the application permission User.Read.All");
        await Expect(page.Locator("#connection")).ToContainTextAsync("Not connected");
        await Expect(page.Locator("#connection")).Not.ToContainTextAsync("Connected to");
        await Expect(page.Locator("#sync-status")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("error"));
        await AdminPage.AssertSpeaksToAdminsAsync(page);

        // Errors look unlike information: another colour and border.
        await page.GotoAsync("/Integration");
        await page.ClickAsync("#link-account");
        await page.ClickAsync("#accept");
        var info = await page.GetByRole(AriaRole.Status).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        await page.GotoAsync("/");
        Assert.NotEqual(info, await banner.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await ScreenshotAsync(page, "signatures-sync-failed");
    }

    [Fact]
    public async Task Check_connectivity_tests_typed_app_credentials_without_saving_and_bad_ones_are_never_connected()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/Integration");
        var before = await page.Locator("#tenant-name").InnerTextAsync();

        await page.ClickAsync("text=Or use your own app registration");
        await page.FillAsync("#own-tenant", "5d2a9e44-7b1c-4f0e-8a63-2c9b1e7f4a10");
        await page.FillAsync("#own-client-id", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        await page.FillAsync("#own-secret", "not-a-valid-secret");
        await page.ClickAsync("#check-own-app");
        var connectivity = page.Locator("#connectivity");
        await Expect(connectivity).ToContainTextAsync("your app registration, not saved", new() { Timeout = 60_000 });
        await Expect(connectivity).ToContainTextAsync("something needs fixing");
        await Expect(connectivity.Locator("tr", new() { HasText = "Token" }).Locator("td").Nth(1)).ToHaveTextAsync("Failed");
        await Expect(page.Locator("#own-client-id")).ToHaveValueAsync("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");   // what was typed stays
        await AdminPage.AssertSpeaksToAdminsAsync(page);
        await AdminPage.AssertFitsAsync(connectivity.Locator("table"));
        await ScreenshotAsync(page, "signatures-check-own-app");

        await page.FillAsync("#own-secret", "not-a-valid-secret");
        await page.ClickAsync("#use-own-app");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not saved", new() { Timeout = 60_000 });
        await page.GotoAsync("/Integration");
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync(before);
        await page.GotoAsync("/");
        await Expect(page.Locator("#connection")).Not.ToContainTextAsync("your app registration");
    }

    [Fact]
    public async Task Employees_fit_the_screen_with_the_photo_by_the_name_and_follow_the_fields_page()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/");
        await SyncNowAsync(page);

        await page.GotoAsync("/Employees");
        var headers = page.Locator("#employees thead th");
        await Expect(headers.First).ToHaveTextAsync(FieldNames.FirstName);
        var photos = page.Locator("#employees td.person img.photo");
        Assert.True(await photos.CountAsync() > 0, "some demo users have photos, next to their name");
        Assert.True(await photos.First.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the photo loads");
        Assert.DoesNotContain(FieldNames.Photo, await headers.AllInnerTextsAsync());
        await AdminPage.AssertFitsAsync(page.Locator("#employees"));
        await ScreenshotAsync(page, "signatures-employees");

        // Re-order: Department up one place (above Job Title); re-map Fax to officeLocation as "Office"; add Employee number.
        await page.GotoAsync("/Fields");
        await page.Locator("tr[data-field='Department'] button[title='Move up']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Fields saved");
        var fax = page.Locator("tr[data-field='Fax']");
        await fax.Locator("input[name=name]").FillAsync("Office");
        await fax.Locator("input[name=source]").FillAsync("officeLocation");
        await fax.Locator("button:text('Save')").ClickAsync();
        await page.FillAsync("input[aria-label='New field name']", "Employee number");
        await page.FillAsync("input[aria-label='New field source']", "employeeId");
        await page.ClickAsync("#add-field");
        await Expect(page.Locator("tr[data-field='Employee number']")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "signatures-fields");

        await page.GotoAsync("/");
        await SyncNowAsync(page);
        await Expect(page.Locator("#last-sync")).ToContainTextAsync("Full read");

        await page.GotoAsync("/Employees");
        var names = (await headers.AllInnerTextsAsync()).ToList();
        Assert.True(names.IndexOf(FieldNames.Department) < names.IndexOf(FieldNames.JobTitle), string.Join(", ", names));
        Assert.Contains("Office", names);
        Assert.DoesNotContain(FieldNames.Fax, names);
        Assert.Equal("Employee number", names[^1]);
        Assert.Contains(await ColumnAsync(page, "Office"), o => o.Length > 0);
        await AdminPage.AssertFitsAsync(page.Locator("#employees"));
    }

    [Fact]
    public async Task Link_account_fills_in_the_tenant_name_and_check_connectivity_lists_each_check_in_words()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);

        await page.GotoAsync("/Integration");
        await page.ClickAsync("#link-account");
        await Expect(page.GetByText("Consent on behalf of your organization")).ToBeVisibleAsync();
        await page.ClickAsync("#accept");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Consent granted");
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("onmicrosoft\\.com$"));

        await page.ClickAsync("#check-connectivity");
        var checks = page.Locator("#connectivity tr");
        await Expect(page.Locator("#connectivity")).ToContainTextAsync("it all works");
        foreach (var name in new[] { "Token", "Organization", "Users" })
        {
            await Expect(checks.Filter(new() { HasText = name }).Locator("td").Nth(1)).ToHaveTextAsync("Passed");
        }

        await AdminPage.AssertSpeaksToAdminsAsync(page);

        // A broken OData filter is reported by its check, with what to do; nothing is saved.
        await page.FillAsync("#Input_ODataFilter", "department eq");
        await page.ClickAsync("#check-connectivity");
        await Expect(page.Locator("#connectivity")).ToContainTextAsync("something needs fixing");
        var filter = checks.Filter(new() { HasText = "Filter" });
        await Expect(filter.Locator("td").Nth(1)).ToHaveTextAsync("Failed");
        await Expect(filter).ToContainTextAsync("Correct the OData filter");
        await AdminPage.AssertSpeaksToAdminsAsync(page);
        await AdminPage.AssertFitsAsync(page.Locator("#connectivity table"));
        await ScreenshotAsync(page, "signatures-connectivity");
        await page.GotoAsync("/Integration");
        await Expect(page.Locator("#Input_ODataFilter")).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Link_account_refuses_a_consent_answer_whose_tenant_was_edited()
    {
        const string otherCustomer = "5d2a9e44-7b1c-4f0e-8a63-2c9b1e7f4a10";   // another customer's tenant, already consented
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/Integration");
        var before = await page.Locator("#tenant-name").InnerTextAsync();

        await page.ClickAsync("#link-account");
        await Expect(page.GetByText("Consent on behalf of your organization")).ToBeVisibleAsync();
        var answer = await page.Locator("#accept").GetAttributeAsync("href");
        var tenant = $"tenant={DemoTenant.TenantId}";
        Assert.Contains(tenant, answer, StringComparison.Ordinal);
        await page.GotoAsync(answer!.Replace(tenant, $"tenant={otherCustomer}", StringComparison.Ordinal));   // the admin edits tenant=

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync($"names tenant {otherCustomer}");
        await Expect(alert).ToContainTextAsync("it was refused and nothing was linked");
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync(before);
        using var scope = host.Services.CreateScope();
        var settings = scope.ServiceProvider.GetRequiredService<Signatures.Xink.Data.SignaturesDb>().Integrations.Find(SignaturesApp.AccountId)!;
        Assert.NotEqual(otherCustomer, settings.EntraTenantId);
    }

    [Fact]
    public async Task A_change_in_the_demo_tenant_arrives_within_seconds_without_sync_now_and_reports_to_follows_the_manager()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/");
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#last-update")).ToContainTextAsync("by Sync now", new() { Timeout = 60_000 });
        await Expect(page.Locator("#live-updates")).ToContainTextAsync("On: a change in Azure AD reaches this list within seconds");

        // Reports To: the manager's display name, from the demo tenant's org chart.
        await page.GotoAsync("/Employees");
        var reportsTo = await ColumnAsync(page, "Reports To");
        Assert.True(reportsTo.Count(r => r.Length > 0) > reportsTo.Count / 2, string.Join(", ", reportsTo));
        await AdminPage.AssertFitsAsync(page.Locator("#employees"));
        var emails = await ColumnAsync(page, "Email");
        var names = await ColumnAsync(page, FieldNames.DisplayName);
        var (email, newManager) = (emails[0], names[^1]);

        // An administrator changes a job title in Azure AD; nobody presses Sync now.
        await page.GotoAsync("/");
        var azure = await page.Context.NewPageAsync();   // the Demo tenant page plays Azure AD in a second tab
        await azure.GotoAsync("/DemoTenant");
        var id = await azure.Locator($"#demo-users tr[data-email='{email}']").GetAttributeAsync("data-id");
        await azure.SelectOptionAsync("#change-user", id!);
        await azure.SelectOptionAsync("#change-field", "Job Title");
        await azure.FillAsync("#change-value", "Chief Demo Officer");
        await azure.ClickAsync("#change");
        await Expect(azure.GetByRole(AriaRole.Status)).ToContainTextAsync("Job Title is now \"Chief Demo Officer\"");
        await ScreenshotAsync(azure, "signatures-demo-tenant");

        // The dashboard, left open, follows by itself: the notification's run ends and the page says so.
        await Expect(page.Locator("#last-update")).ToContainTextAsync("by a change in Entra ID", new() { Timeout = 30_000 });
        await Expect(page.Locator("#last-update")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Updated \d+ s ago by a change in Entra ID\.$"));
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("1 updated");
        await ScreenshotAsync(page, "signatures-live-update");
        await page.GotoAsync("/Employees");
        var row = page.Locator("#employees tbody tr", new() { HasText = email });
        await Expect(row).ToContainTextAsync("Chief Demo Officer");

        // A new manager in Azure AD: Reports To follows, again without Sync now.
        await azure.GotoAsync("/DemoTenant");
        await azure.SelectOptionAsync("#manager-user", id!);
        await azure.SelectOptionAsync("#manager-of", await azure.Locator($"#demo-users tr[data-email='{emails[^1]}']").GetAttributeAsync("data-id") ?? "");
        await azure.ClickAsync("#set-manager");
        await Expect(azure.GetByRole(AriaRole.Status)).ToContainTextAsync($"now reports to {newManager}");
        for (var i = 0; i < 60 && !(await row.InnerTextAsync()).Contains(newManager, StringComparison.Ordinal); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
            await page.ReloadAsync();
        }

        await Expect(row).ToContainTextAsync(newManager);
        await ScreenshotAsync(page, "signatures-reports-to");
    }

    /// <summary>Presses Sync now and waits until the run ends and the dashboard has reloaded with its result.</summary>
    private static async Task SyncNowAsync(IPage page, string resultSelector = "#last-report")
    {
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#sync-now")).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator(resultSelector)).ToBeVisibleAsync();
    }

    private static async Task<IReadOnlyList<string>> ColumnAsync(IPage page, string header)
    {
        var headers = await page.Locator("#employees thead th").AllInnerTextsAsync();
        var index = headers.ToList().IndexOf(header);
        Assert.True(index >= 0, $"no column {header} in {string.Join(", ", headers)}");
        return [.. (await page.Locator($"#employees tbody tr td:nth-child({index + 1})").AllInnerTextsAsync()).Select(t => t.Trim())];
    }

    private Task ScreenshotAsync(IPage page, string name) => Browser.ScreenshotAsync(page, name, output);
}
