using System.Text.RegularExpressions;
using Intranet.Ziik;
using Intranet.Ziik.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace EntraSync.Samples.Tests;

/// <summary>The Ziik-style sample (samples/Intranet.Ziik) in a real browser, syncing from its demo tenant: one test per workflow of the help article.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IntranetSampleTests(Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Initiate_synchronisation_places_users_in_units_moves_them_when_their_field_changes_and_keeps_units_added_by_hand()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);

        await page.GotoAsync("/");
        await Expect(page.GetByText("No users yet")).ToBeVisibleAsync();
        await InitiateAsync(page);
        await Expect(page.Locator("#last-run")).ToContainTextAsync("Unit values with no unit");
        await Screenshot(page, "intranet-integration");

        await page.ClickAsync("header >> text=Users");
        var users = page.Locator("#users tr[data-email]");
        Assert.True(await users.CountAsync() > 20, "the demo tenant's people are imported");

        // A user sync placed in a unit; the administrator adds them to London as Mentor by hand.
        var person = users.Filter(new() { Has = page.Locator("td.memberships", new() { Has = page.Locator(".chip"), HasNotText = "London" }) }).First;
        var email = await person.GetAttributeAsync("data-email");
        var syncedUnit = (await person.Locator(".chip").First.InnerTextAsync()).Split(':')[0];
        person = page.Locator($"#users tr[data-email='{email}']");
        await person.Locator("select[name=unitId]").SelectOptionAsync(new SelectOptionValue { Label = "London" });
        await person.Locator("select[name=userTypeId]").SelectOptionAsync(new SelectOptionValue { Label = "Mentor" });
        await person.Locator("button:text('Add')").ClickAsync();
        await Expect(person.Locator(".memberships")).ToContainTextAsync("London: Mentor");
        await Screenshot(page, "intranet-users");

        // The user moves city in Azure AD (the demo tenant panel): sync moves its own membership and leaves the hand-added one alone.
        var newCity = syncedUnit == "Aarhus" ? "Odense" : "Aarhus";
        await ChangeInDemoTenantAsync(page, email!, "City", newCity);
        await SyncChangesAsync(page);
        await page.ClickAsync("header >> text=Users");
        var memberships = person.Locator(".memberships");
        await Expect(memberships).ToContainTextAsync("London: Mentor");
        await Expect(memberships).ToContainTextAsync(newCity + ":");
        await Expect(memberships).Not.ToContainTextAsync(syncedUnit + ":");

        // A new unit named like an unmatched city places its users at the next synchronisation.
        var redmond = page.Locator("#unassigned tr[data-email]", new() { HasText = "no unit is named \"Redmond\" (City)" });
        var waiting = await redmond.CountAsync();
        Assert.True(waiting > 0, "some unassigned users live in Redmond");
        await page.ClickAsync("header >> text=Units");
        await page.FillAsync("input[aria-label='New unit']", "Redmond");
        await page.ClickAsync("#add-unit");
        await Expect(page.Locator("#units")).ToContainTextAsync("Redmond");
        await Screenshot(page, "intranet-units");
        await InitiateAsync(page);
        await page.ClickAsync("header >> text=Users");
        Assert.True(await redmond.CountAsync() < waiting, "Redmond users with a known user type are now placed");
    }

    [Fact]
    public async Task Initiate_synchronisation_runs_in_the_background_with_live_progress_and_a_second_click_says_one_is_running()
    {
        // The app and its demo tenant on a clock the test moves: the tenant's answer waits until the test lets it go.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet", services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var page = await browser.OpenAsync(host);
        var other = await browser.OpenAsync(host);
        await page.GotoAsync("/Integration");
        await other.GotoAsync("/Integration");

        var emulator = await host.Services.GetRequiredService<DemoTenant>().GetAsync();
        emulator.Faults.LatencyMs = 60_000;   // a slow tenant: every answer waits a minute on the test's clock
        await page.ClickAsync("#initiate");
        await Expect(page.Locator("#initiate")).ToBeDisabledAsync();
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synchronisation running, started by Initiate synchronisation");
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("users from Azure AD so far");
        await Screenshot(page, "intranet-sync-running");

        await other.ClickAsync("#initiate");
        await Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("A synchronisation is already running (started by Initiate synchronisation");

        emulator.Faults.Reset();
        await AdminPage.LetTimePassUntilAsync(clock, page.Locator("#initiate"));   // the waiting answer arrives; the rest come at once
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synchronisation finished", new() { Timeout = 30_000 });
        await Expect(page.Locator("#initiate")).ToBeEnabledAsync();
        await Expect(page.Locator("#last-run")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_user_created_here_is_linked_by_email_on_the_next_sync_and_a_local_only_user_is_left_alone()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        var directory = (await host.Services.GetRequiredService<DemoTenant>().GetAsync()).DefaultTenant;
        var someone = PlacedUsers(directory).First();

        await page.GotoAsync("/");
        // A refused form keeps what was typed.
        await page.FillAsync("#NewUser_FirstName", "Kim");
        await page.FillAsync("#NewUser_LastName", "Local");
        await page.FillAsync("#NewUser_Email", "not an email");
        await page.ClickAsync("#create");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter the user's email address");
        await Expect(page.Locator("#NewUser_FirstName")).ToHaveValueAsync("Kim");

        await page.FillAsync("#NewUser_Email", "kim.local@northwind.example");
        await page.ClickAsync("#create");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kim Local created");
        await page.FillAsync("#NewUser_FirstName", "Typed");
        await page.FillAsync("#NewUser_LastName", "By Hand");
        await page.FillAsync("#NewUser_Email", someone.Mail!.ToUpperInvariant());
        await page.FillAsync("#NewUser_JobTitle", "Trainee");
        await page.ClickAsync("#create");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Typed By Hand created");
        var linked = page.Locator("#users tr", new() { HasText = someone.Mail!.ToUpperInvariant() });
        await Expect(linked.Locator(".source")).ToHaveTextAsync("created here");

        await InitiateAsync(page);
        await Expect(page.Locator("#last-run")).ToContainTextAsync("1linked by email");
        await page.ClickAsync("header >> text=Users");
        // Linked: the mandatory and matching fields now come from Azure AD, and the unit follows.
        var row = page.Locator($"#users tr[data-directory-id='{someone.Id}']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".source")).ToHaveTextAsync("Azure AD");
        await Expect(row).ToContainTextAsync($"{someone.GivenName} {someone.Surname}");
        await Expect(row).ToContainTextAsync(someone.JobTitle!);
        await Expect(row.Locator(".memberships")).ToContainTextAsync($"{someone.City}: {someone.JobTitle}");
        await Expect(page.Locator("#users")).Not.ToContainTextAsync("Typed By Hand");

        // Not in Azure AD: untouched, still active, listed as unassigned with why.
        var local = page.Locator("#users tr[data-email='kim.local@northwind.example']");
        await Expect(local).ToContainTextAsync("Kim Local");
        await Expect(local.Locator(".source")).ToHaveTextAsync("created here");
        await Expect(page.Locator("#unassigned tr[data-email='kim.local@northwind.example']")).ToContainTextAsync("not found in Azure AD");
        await Expect(page.Locator("#deactivated")).Not.ToContainTextAsync("kim.local");
        await Screenshot(page, "intranet-local-users");
    }

    [Fact]
    public async Task The_demo_tenant_panel_adds_deletes_and_restores_users_and_the_sync_follows()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await InitiateAsync(page);

        // Creation of new users in Azure AD: placed where their matching fields say.
        await page.ClickAsync("header >> text=Demo tenant");
        await page.FillAsync("#add-first-name", "Nora");
        await page.FillAsync("#add-last-name", "Nyhus");
        await page.FillAsync("#add-email", "nora.nyhus@northwind.example");
        await page.FillAsync("#add-job-title", "Designer");
        await page.FillAsync("#add-city", "Odense");
        await page.ClickAsync("#add");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nora Nyhus was added to the demo tenant");
        await Screenshot(page, "intranet-demo-tenant");
        await SyncChangesAsync(page);
        await page.ClickAsync("header >> text=Users");
        await Expect(page.Locator("#users tr[data-email='nora.nyhus@northwind.example'] .memberships")).ToContainTextAsync("Odense: Designer");

        // Deletion in Azure AD: deactivated (soft deleted) for 90 days and listed.
        await page.ClickAsync("header >> text=Demo tenant");
        await page.SelectOptionAsync("#delete-user", new SelectOptionValue { Label = "Nora Nyhus (nora.nyhus@northwind.example)" });
        await page.ClickAsync("#delete");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nora Nyhus was deleted from the demo tenant");
        await SyncChangesAsync(page);
        await page.ClickAsync("header >> text=Users");
        await Expect(page.Locator("#deactivated tr[data-email='nora.nyhus@northwind.example'] .days-left")).ToHaveTextAsync("90 days");
        await Expect(page.Locator("#users tr[data-email='nora.nyhus@northwind.example']")).ToHaveCountAsync(0);
        await Screenshot(page, "intranet-deactivated-by-deletion");

        // Restored in Azure AD: reactivated with its unit.
        await page.ClickAsync("header >> text=Demo tenant");
        await page.Locator("#demo-deleted tr", new() { HasText = "Nora Nyhus" }).Locator("button:text('Restore')").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nora Nyhus was restored");
        await SyncChangesAsync(page);
        await page.ClickAsync("header >> text=Users");
        await Expect(page.Locator("#users tr[data-email='nora.nyhus@northwind.example'] .memberships")).ToContainTextAsync("Odense: Designer");
        await Expect(page.Locator("#deactivated tr[data-email='nora.nyhus@northwind.example']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Unassigned_users_show_why_no_unit_match_several_units_or_no_user_type_match()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        var placed = PlacedUsers((await host.Services.GetRequiredService<DemoTenant>().GetAsync()).DefaultTenant).Take(3).ToList();
        Assert.Equal(3, placed.Count);
        await InitiateAsync(page);

        await ChangeInDemoTenantAsync(page, placed[0].Mail!, "City", "Atlantis");
        await ChangeInDemoTenantAsync(page, placed[1].Mail!, "City", "Aarhus, Odense");
        await ChangeInDemoTenantAsync(page, placed[2].Mail!, "Job Title", "Astronaut");
        await SyncChangesAsync(page);
        await page.ClickAsync("header >> text=Users");
        var why = (string mail) => page.Locator($"#unassigned tr[data-email='{mail}'] .why");
        await Expect(why(placed[0].Mail!)).ToHaveTextAsync("no unit is named \"Atlantis\" (City)");
        await Expect(why(placed[1].Mail!)).ToContainTextAsync("City \"Aarhus, Odense\" names several units");
        await Expect(why(placed[2].Mail!)).ToHaveTextAsync("no user type matches \"Astronaut\" (Job Title)");
        await Screenshot(page, "intranet-unassigned-why");
    }

    [Fact]
    public async Task The_form_uses_the_articles_field_names_keeps_what_was_typed_and_saved_credentials_can_be_changed_or_cleared()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await InitiateAsync(page);
        await page.GotoAsync("/");
        var users = await page.Locator("#users tr[data-email]").CountAsync();

        await page.GotoAsync("/Integration");
        var labels = await page.Locator("#Input_UnitField option").AllInnerTextsAsync();
        Assert.Equal(["Job Title", "Company Name", "Department", "Street Address", "State", "Country", "Office Location", "City", "Postal Code"], labels);

        // Ziik: "you cannot use the same matching field in Azure for both Units and user type"; the typed values stay.
        await page.FillAsync("#Input_Name", "Northwind HR");
        await page.FillAsync("#Input_ApplicationId", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        await page.SelectOptionAsync("#Input_UserTypeField", "City");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("cannot use the same matching field");
        await Expect(page.Locator("#Input_Name")).ToHaveValueAsync("Northwind HR");
        await Expect(page.Locator("#Input_ApplicationId")).ToHaveValueAsync("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        await Expect(page.Locator("#Input_UserTypeField")).ToHaveValueAsync("City");
        await Screenshot(page, "intranet-validation");

        // Own credentials: saved, the secret never shown back; then changed without retyping the secret.
        await page.SelectOptionAsync("#Input_UserTypeField", "JobTitle");
        await page.FillAsync("#Input_DirectoryTenantId", "5d2a9e44-7b1c-4f0e-8a63-2c9b1e7f4a10");
        await page.FillAsync("#Input_Secret", "first-secret");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Northwind HR saved");
        await Expect(page.Locator("#Input_Secret")).ToHaveAttributeAsync("placeholder", "(saved; leave empty to keep)");
        await Expect(page.Locator("header")).Not.ToContainTextAsync("Demo tenant");
        await Expect(page.Locator("#live-updates")).ToContainTextAsync("Off: Microsoft Graph only sends changes to an address on the internet (HTTPS)");
        await page.FillAsync("#Input_ApplicationId", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Northwind HR saved");
        await Expect(page.Locator("#Input_ApplicationId")).ToHaveValueAsync("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e");

        // A run with credentials Azure AD cannot confirm fails in words, styled as an error, with no settings names.
        await page.ClickAsync("#initiate");
        await Expect(page.Locator("#initiate")).ToBeEnabledAsync(new() { Timeout = 90_000 });
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synchronisation failed:");
        await Expect(page.Locator("#sync-status")).ToHaveClassAsync(new Regex("error"));
        await AdminPage.AssertSpeaksToAdminsAsync(page);

        // Back to the demo tenant without deleting the database.
        await page.ClickAsync("#use-demo");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("uses the demo tenant again");
        await Expect(page.Locator("#Input_ApplicationId")).ToHaveValueAsync("");
        await Expect(page.Locator("#Input_Secret")).ToHaveAttributeAsync("placeholder", "the client secret's value");
        await Expect(page.Locator("header")).ToContainTextAsync("Demo tenant");
        await Expect(page.Locator("#live-updates")).Not.ToContainTextAsync("Off:");
        await page.GotoAsync("/");
        await Expect(page.Locator("#users tr[data-email]")).ToHaveCountAsync(users);
    }

    [Fact]
    public async Task Removing_a_unit_asks_before_it_drops_memberships_added_by_hand()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await InitiateAsync(page);
        await page.GotoAsync("/");
        var person = page.Locator("#users tr[data-email]").Filter(new() { Has = page.Locator("td.memberships .chip") }).First;
        var email = await person.GetAttributeAsync("data-email");
        person = page.Locator($"#users tr[data-email='{email}']");
        var name = (await person.Locator("td").First.InnerTextAsync()).Trim();
        await person.Locator("select[name=unitId]").SelectOptionAsync(new SelectOptionValue { Label = "Paris" });
        await person.Locator("select[name=userTypeId]").SelectOptionAsync(new SelectOptionValue { Label = "Mentor" });
        await person.Locator("button:text('Add')").ClickAsync();
        await Expect(person.Locator(".memberships")).ToContainTextAsync("Paris: Mentor");

        await page.GotoAsync("/Units");
        await page.ClickAsync("button[title='Remove Paris']");
        var confirm = page.Locator("#confirm-removal");
        await Expect(confirm).ToContainTextAsync("Remove the unit Paris?");
        await Expect(confirm).ToContainTextAsync($"{name}: Mentor");
        await Screenshot(page, "intranet-remove-unit");
        await page.ClickAsync("text=Keep the unit");
        await Expect(page.Locator("#units")).ToContainTextAsync("Paris");

        await page.ClickAsync("button[title='Remove Paris']");
        await page.ClickAsync("#confirm-remove-unit");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Unit Paris removed with 1 memberships added by hand");
        await Expect(page.Locator("#units")).Not.ToContainTextAsync("Paris");

        // A unit holding only what sync assigned goes at once: the next synchronisation re-places its users.
        await page.ClickAsync("button[title='Remove Oslo']");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Unit Oslo removed.");
    }

    [Fact]
    public async Task The_integration_list_shows_the_name_and_the_hourly_schedule_with_last_and_next_run()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await page.GotoAsync("/");
        await page.ClickAsync("header >> text=Integrations");
        var row = page.Locator("#integrations tr", new() { HasText = "Azure User Sync" }).Last;
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("—");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$"));

        await row.Locator("a").ClickAsync();
        await page.FillAsync("#Input_Name", "Northwind people");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#next-run-at")).ToContainTextAsync("every hour");
        await InitiateAsync(page);
        await Expect(page.Locator("#last-run-at")).ToContainTextAsync("UTC (read everyone)");
        await page.ClickAsync("header >> text=Integrations");
        row = page.Locator("#integrations tr", new() { HasText = "Northwind people" });
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$"));
        await Screenshot(page, "intranet-integrations");
    }

    [Fact]
    public async Task A_filter_holds_the_deactivations_naming_the_people_and_after_approval_they_are_kept_90_days()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        await InitiateAsync(page);
        await page.GotoAsync("/");
        await Expect(page.Locator("#deactivated")).ToContainTextAsync("None.");
        var before = await page.Locator("#users tr[data-email]").CountAsync();

        // Import one company only. Deactivating most users at once trips the deletion guard: an administrator approves.
        await page.GotoAsync("/Integration");
        await page.FillAsync("#Input_Filter", "companyName eq 'Contoso Ltd'");
        await page.ClickAsync("#save");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await InitiateAsync(page, "#staged-removals");
        var staged = page.Locator("#staged-removals h2");
        await Expect(staged).ToContainTextAsync("users would be deactivated");
        var count = int.Parse((await staged.InnerTextAsync()).Split(' ')[0]);
        Assert.InRange(count, 1, before - 1);
        await Expect(page.Locator("#staged-removals")).ToContainTextAsync("nobody has been deactivated yet");
        await Expect(page.Locator("#sync-status")).ToContainTextAsync($"{count} deactivations are held for your approval");
        var people = page.Locator("#staged-removals .held-people li");
        await Expect(people).ToHaveCountAsync(count);
        Assert.All(await people.AllInnerTextsAsync(), p => Assert.Matches(@"^\S.* \(\S+@\S+\)$", p));
        await AdminPage.AssertSpeaksToAdminsAsync(page);
        await Screenshot(page, "intranet-staged");
        await page.ClickAsync("#staged-removals button:text('Approve')");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Approved: {count} users deactivated");

        await page.GotoAsync("/");
        await Expect(page.Locator("#deactivated tr[data-email]")).ToHaveCountAsync(count);
        await Expect(page.Locator("#users tr[data-email]")).ToHaveCountAsync(before - count);
        Assert.All(await page.Locator("#deactivated .days-left").AllInnerTextsAsync(), d => Assert.Equal("90 days", d.Trim()));
        await Screenshot(page, "intranet-deactivated");
    }

    /// <summary>Demo users the seeded units and user types place: a unit named like their City, a user type like their Job Title.</summary>
    private static IEnumerable<EntraSync.Testing.Emulator.EmulatedUser> PlacedUsers(EntraSync.Testing.Emulator.EmulatedTenant tenant)
    {
        string[] units = ["København", "Aarhus", "Odense", "Oslo", "London", "München", "Paris"];
        string[] userTypes = ["Developer", "Consultant", "Trainer", "Mentor", "Sales Manager", "Account Executive", "Support Engineer", "Director",
            "Product Manager", "IT Administrator", "Accountant", "HR Partner", "Marketing Specialist", "Designer", "Operations Lead"];
        return tenant.GetUsers().Where(u => u.Mail is not null && u.GivenName is { Length: > 0 } && u.Surname is { Length: > 0 } && u.AccountEnabled != false
            && units.Contains(u.City) && userTypes.Contains(u.JobTitle));
    }

    [Fact]
    public async Task A_change_in_the_demo_tenant_reaches_the_intranet_within_seconds_without_synchronising_and_users_show_their_manager()
    {
        await using var host = await SampleHost.StartAsync(IntranetApp.Build, "Intranet");
        var page = await browser.OpenAsync(host);
        var directory = (await host.Services.GetRequiredService<DemoTenant>().GetAsync()).DefaultTenant;
        await InitiateAsync(page);
        await Expect(page.Locator("#last-update")).ToContainTextAsync("by hand");
        await Expect(page.Locator("#live-updates")).ToContainTextAsync("On: a change in Azure AD reaches the intranet within seconds");

        // The manager, from the demo tenant's org chart.
        await page.ClickAsync("header >> text=Users");
        var managers = await page.Locator("#users .manager").CountAsync();
        Assert.True(managers > await page.Locator("#users tr[data-directory-id]").CountAsync() / 2, $"{managers} users from Azure AD show their manager");
        await AdminPage.AssertFitsAsync(page.Locator("#users"));
        var someone = PlacedUsers(directory).First(u => u.ManagerId is not null);
        var row = page.Locator($"#users tr[data-email='{someone.Mail}']");
        await Expect(row.Locator(".manager")).ToHaveTextAsync(directory.FindUser(someone.ManagerId!)!.DisplayName!);

        // The user moves city in Azure AD; nobody presses a synchronisation button.
        var oldCity = someone.City!;
        var newCity = oldCity == "Aarhus" ? "Odense" : "Aarhus";
        await ChangeInDemoTenantAsync(page, someone.Mail!, "City", newCity);
        await Expect(page.Locator("#last-update")).ToContainTextAsync("by a change in Entra ID", new() { Timeout = 30_000 });
        await Expect(page.Locator("#last-update")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Updated \d+ s ago by a change in Entra ID\.$"));
        await Screenshot(page, "intranet-live-update");
        await page.ClickAsync("header >> text=Users");
        await Expect(row.Locator(".memberships")).ToContainTextAsync(newCity + ":");
        await Expect(row.Locator(".memberships")).Not.ToContainTextAsync(oldCity + ":");
    }

    /// <summary>Presses Initiate synchronisation and waits until the run ends and the page has reloaded with its result.</summary>
    private static async Task InitiateAsync(IPage page, string resultSelector = "#last-run")
    {
        await page.GotoAsync("/Integration");
        await page.ClickAsync("#initiate");
        await Expect(page.Locator("#initiate")).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator(resultSelector)).ToBeVisibleAsync();
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synchronisation finished");
    }

    /// <summary>Presses "Synchronise changes now" on the demo tenant panel (an hourly-style run) and waits for it.</summary>
    private static async Task SyncChangesAsync(IPage page)
    {
        await page.GotoAsync("/DemoTenant");
        await page.ClickAsync("#sync-changes");
        await Expect(page.Locator("#sync-changes")).ToBeEnabledAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#sync-status")).ToContainTextAsync("Synchronisation finished");
    }

    private static async Task ChangeInDemoTenantAsync(IPage page, string email, string field, string value)
    {
        await page.GotoAsync("/DemoTenant");
        await page.Locator("#change-user").SelectOptionAsync(new SelectOptionValue { Label = (await page.Locator($"#change-user option", new() { HasText = $"({email})" }).InnerTextAsync()).Trim() });
        await page.SelectOptionAsync("#change-field", new SelectOptionValue { Label = field });
        await page.FillAsync("#change-value", value);
        await page.ClickAsync("#change");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{field} is now \"{value}\"");
    }

    private Task Screenshot(IPage page, string name) => Browser.ScreenshotAsync(page, name, output);
}
