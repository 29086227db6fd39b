using Microsoft.Extensions.DependencyInjection;
using Signatures.Xink;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EntraSync.Samples.Tests;

/// <summary>The Xink-style sample (samples/Signatures.Xink) in a real browser, syncing from its demo tenant.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignaturesSampleTests(Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Sync_now_imports_employees_and_an_import_filter_narrows_them_after_approval()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);

        await page.GotoAsync("/");
        await Expect(page.GetByText("No sync has run yet")).ToBeVisibleAsync();
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#last-report")).ToBeVisibleAsync();
        var created = int.Parse(await page.Locator("#count-created").InnerTextAsync());
        Assert.True(created > 20, $"the demo tenant has 60 users; the first sync created {created}");
        await Expect(page.Locator("#last-sync")).ToContainTextAsync("Succeeded");
        await ScreenshotAsync(page, "signatures-dashboard");

        await page.ClickAsync("header >> text=Employees");
        var rows = page.Locator("#employees tbody tr");
        await Expect(rows).ToHaveCountAsync(created);
        var departments = await ColumnAsync(page, "Department");
        var sales = departments.Count(d => d == "Sales");
        Assert.InRange(sales, 1, created - 1);
        await ScreenshotAsync(page, "signatures-employees");

        // Preferences › Integration: import only Sales.
        await page.ClickAsync("header >> text=Integration");
        await page.CheckAsync("#Input_UseClientFilter");
        await page.FillAsync("#Input_Rules_0__Property", "department");
        await page.SelectOptionAsync("#Input_Rules_0__Operator", new SelectOptionValue { Label = nameof(FilterOperator.EqualTo) });
        await page.FillAsync("#Input_Rules_0__Value", "Sales");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Integration saved");
        await ScreenshotAsync(page, "signatures-integration");

        // Removing most employees at once trips the deletion guard: the removals wait for approval.
        await page.ClickAsync("header >> text=Dashboard");
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#staged-removals")).ToContainTextAsync($"{created - sales} removals wait for your approval");
        await page.ClickAsync("text=Approve removals");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{created - sales} employees removed");

        await page.ClickAsync("header >> text=Employees");
        await Expect(rows).ToHaveCountAsync(sales);
        Assert.All(await ColumnAsync(page, "Department"), d => Assert.Equal("Sales", d));
    }

    [Fact]
    public async Task Employees_show_photos_and_the_fields_in_the_order_and_mapping_set_on_the_fields_page()
    {
        await using var host = await SampleHost.StartAsync(SignaturesApp.Build, "Signatures");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/");
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#last-report")).ToBeVisibleAsync();

        await page.GotoAsync("/Employees");
        var headers = page.Locator("#employees thead th");
        await Expect(headers.First).ToHaveTextAsync(FieldNames.FirstName);
        var photos = page.Locator("#employees img.photo");
        Assert.True(await photos.CountAsync() > 0, "some demo users have photos");
        Assert.True(await photos.First.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the photo loads");

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
        await page.ClickAsync("#sync-now");
        await Expect(page.Locator("#last-sync")).ToContainTextAsync("Full read");

        await page.GotoAsync("/Employees");
        var names = await headers.AllInnerTextsAsync();
        Assert.True(names.ToList().IndexOf(FieldNames.Department) < names.ToList().IndexOf(FieldNames.JobTitle), string.Join(", ", names));
        Assert.Contains("Office", names);
        Assert.DoesNotContain(FieldNames.Fax, names);
        Assert.Equal("Employee number", names[^1]);
        Assert.Contains(await ColumnAsync(page, "Office"), o => o.Length > 0);
    }

    [Fact]
    public async Task Link_account_fills_in_the_tenant_name_and_check_connectivity_lists_each_check()
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

        // A broken OData filter is reported by its check, with the setting to fix; nothing is saved.
        await page.FillAsync("#Input_ODataFilter", "department eq");
        await page.ClickAsync("#check-connectivity");
        await Expect(page.Locator("#connectivity")).ToContainTextAsync("something needs fixing");
        await Expect(checks.Filter(new() { HasText = "Filter" }).Locator("td").Nth(1)).ToHaveTextAsync("Failed");
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
        var tenant = $"tenant={Signatures.Xink.Integration.DemoTenant.TenantId}";
        Assert.Contains(tenant, answer, StringComparison.Ordinal);
        await page.GotoAsync(answer!.Replace(tenant, $"tenant={otherCustomer}", StringComparison.Ordinal));   // the admin edits tenant=

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"names tenant {otherCustomer}");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("it was refused and nothing was linked");
        await Expect(page.Locator("#tenant-name")).ToHaveTextAsync(before);
        using var scope = host.Services.CreateScope();
        var settings = scope.ServiceProvider.GetRequiredService<Signatures.Xink.Data.SignaturesDb>().Integrations.Find(SignaturesApp.AccountId)!;
        Assert.NotEqual(otherCustomer, settings.EntraTenantId);
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
