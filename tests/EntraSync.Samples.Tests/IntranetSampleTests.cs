using Intranet.Ziik;
using Intranet.Ziik.Integration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EntraSync.Samples.Tests;

/// <summary>The Ziik-style sample (samples/Intranet.Ziik) in a real browser, syncing from its demo tenant.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IntranetSampleTests(Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Initiate_synchronisation_places_users_in_units_lists_the_unassigned_and_keeps_units_added_by_hand()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);

        await page.GotoAsync("/");
        await Expect(page.GetByText("No users yet")).ToBeVisibleAsync();
        await page.ClickAsync("header >> text=Azure User Sync");
        await page.ClickAsync("#initiate");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Synchronisation finished");
        await Expect(page.Locator("#last-run")).ToContainTextAsync("Unit values with no unit");
        await Screenshot(page, "intranet-integration");

        await page.ClickAsync("header >> text=Users");
        var users = page.Locator("#users tr[data-email]");
        Assert.True(await users.CountAsync() > 20, "the demo tenant's people are imported");
        var unassigned = page.Locator("#unassigned li");
        Assert.True(await unassigned.CountAsync() > 0, "users in cities without a unit are listed as unassigned");
        await Expect(unassigned.First).ToBeVisibleAsync();

        // A user sync placed in a unit; the administrator adds them to London as Mentor by hand.
        var person = users.Filter(new() { Has = page.Locator("td.memberships", new() { Has = page.Locator(".chip"), HasNotText = "London" }) }).First;
        var email = await person.GetAttributeAsync("data-email");
        var directoryId = await person.GetAttributeAsync("data-directory-id");
        var syncedUnit = (await person.Locator(".chip").First.InnerTextAsync()).Split(':')[0];
        person = page.Locator($"#users tr[data-email='{email}']");
        await person.Locator("select[name=unitId]").SelectOptionAsync(new SelectOptionValue { Label = "London" });
        await person.Locator("select[name=userTypeId]").SelectOptionAsync(new SelectOptionValue { Label = "Mentor" });
        await person.Locator("button:text('Add')").ClickAsync();
        await Expect(person.Locator(".memberships")).ToContainTextAsync("London: Mentor");
        await Screenshot(page, "intranet-users");

        // The user moves city in Azure AD: sync moves its own membership and leaves the hand-added one alone.
        var newCity = syncedUnit == "Aarhus" ? "Odense" : "Aarhus";
        var emulator = await host.Services.GetRequiredService<DemoTenant>().GetAsync();
        emulator.DefaultTenant.UpdateUser(directoryId!, u => u.City = newCity);
        await page.ClickAsync("header >> text=Azure User Sync");
        await page.ClickAsync("#initiate");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Synchronisation finished");
        await page.ClickAsync("header >> text=Users");
        var memberships = person.Locator(".memberships");
        await Expect(memberships).ToContainTextAsync("London: Mentor");
        await Expect(memberships).ToContainTextAsync(newCity + ":");
        await Expect(memberships).Not.ToContainTextAsync(syncedUnit + ":");

        // A new unit named like an unmatched city places its users at the next synchronisation.
        var redmond = page.Locator("#unassigned li", new() { HasText = "Redmond" });
        var waiting = await redmond.CountAsync();
        Assert.True(waiting > 0, "some unassigned users live in Redmond");
        await page.ClickAsync("header >> text=Units");
        await page.FillAsync("input[aria-label='New unit']", "Redmond");
        await page.ClickAsync("#add-unit");
        await Expect(page.Locator("#units")).ToContainTextAsync("Redmond");
        await Screenshot(page, "intranet-units");
        await page.ClickAsync("header >> text=Azure User Sync");
        await page.ClickAsync("#initiate");
        await page.ClickAsync("header >> text=Users");
        Assert.True(await redmond.CountAsync() < waiting, "Redmond users with a known user type are now placed");
    }

    [Fact]
    public async Task A_filter_deactivates_the_users_it_leaves_out_for_90_days_after_approval_and_the_form_refuses_one_field_for_both()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/Integration");
        await page.ClickAsync("#initiate");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Synchronisation finished");
        await page.GotoAsync("/");
        await Expect(page.Locator("#deactivated")).ToContainTextAsync("None.");
        var before = await page.Locator("#users tr[data-email]").CountAsync();

        // Ziik: "you cannot use the same matching field in Azure for both Units and user type".
        await page.GotoAsync("/Integration");
        await page.SelectOptionAsync("#Input_UserTypeField", "City");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("cannot use the same matching field");

        // Import one company only. Deactivating most users at once trips the deletion guard: an administrator approves.
        await page.FillAsync("#Input_Filter", "companyName eq 'Contoso Ltd'");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await page.ClickAsync("#initiate");
        var staged = page.Locator("#staged-removals h2");
        await Expect(staged).ToContainTextAsync("users would be deactivated");
        var count = int.Parse((await staged.InnerTextAsync()).Split(' ')[0]);
        Assert.InRange(count, 1, before - 1);
        await Screenshot(page, "intranet-staged");
        await page.ClickAsync("#staged-removals button:text('Approve')");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved: {count} users deactivated");

        await page.GotoAsync("/");
        await Expect(page.Locator("#deactivated tr[data-email]")).ToHaveCountAsync(count);
        await Expect(page.Locator("#users tr[data-email]")).ToHaveCountAsync(before - count);
        Assert.All(await page.Locator("#deactivated .days-left").AllInnerTextsAsync(), d => Assert.Equal("90 days", d.Trim()));
        await Screenshot(page, "intranet-deactivated");
    }

    private Task Screenshot(IPage page, string name) => Browser.ScreenshotAsync(page, name, output);
}
