using CsCheck;
using EntraSync.Tests.TestSupport;

namespace EntraSync.Tests.Sync;

/// <summary>Generated directory and store states: the engine's promises hold for all of them, not just the examples.</summary>
public sealed class SyncPropertyTests
{
    private static readonly string[] Names = ["Ada", "Alan", "Grace", "Kim", "Søren", "", "Zoë"];
    private static readonly string[] Mails = ["a@x.com", "A@X.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"];
    private static readonly string[] Titles = ["Consultant", "CTO", "", "Chef"];

    private static readonly Gen<UserSpec> GenUser =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 6], Gen.Int[-1, 5], Gen.Int[0, 3], (g, s, m, t) => new UserSpec(Names[g], Names[s], m < 0 ? null : Mails[m], Titles[t]));

    private static readonly Gen<Scenario> GenScenario =
        Gen.Select(
            GenUser.List[0, 12],
            Gen.Int[-1, 5].Select(m => m < 0 ? null : Mails[m]).List[0, 4],
            Gen.Int[0, 3].Select(k => (Kind: k, Target: 0)).SelectMany(_ => Gen.Select(Gen.Int[0, 3], Gen.Int[0, 11], (k, t) => new Mutation(k, t))).List[0, 6],
            (users, locals, mutations) => new Scenario(users, locals, mutations));

    [Fact]
    public async Task A_second_run_over_an_unchanged_directory_writes_nothing()
    {
        await GenScenario.SampleAsync(async scenario =>
        {
            await using var h = Build(scenario);
            await h.RunAsync(SyncMode.Full);
            await Mutate(h, scenario);
            await h.RunAsync(SyncMode.Incremental);

            // A user skipped because another held its email is picked up by the next full read once the email is free
            // (delta does not return the skipped user again): so the directory is settled after one full run.
            await h.RunAsync(SyncMode.Full);
            var writes = h.Store.ChangesApplied;

            var again = await h.RunAsync(SyncMode.Full);

            Assert.Equal(writes, h.Store.ChangesApplied);
            Assert.Equal(0, again.Counts.Changes);
        }, iter: 150);
    }

    [Fact]
    public async Task Unlinked_local_employees_are_never_changed_or_removed()
    {
        await GenScenario.SampleAsync(async scenario =>
        {
            await using var h = Build(scenario);
            var locals = h.Employees.ToDictionary(e => e.Key);

            await h.RunAsync(SyncMode.Full);
            await Mutate(h, scenario);
            await h.RunAsync(SyncMode.Incremental);
            await h.RunAsync(SyncMode.Full);

            foreach (var (key, before) in locals)
            {
                var after = h.Employees.SingleOrDefault(e => e.Key == key);
                Assert.NotNull(after);
                if (after!.DirectoryId is null)
                {
                    Assert.True(after.IsActive);
                    Assert.Equal(before.Email, after.Email);
                    Assert.Equal(before.Fields, after.Fields);
                }
                else
                {
                    // Linked once, and only through an email it really had.
                    Assert.Equal(before.Email, Mails.First(m => string.Equals(m, before.Email, StringComparison.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);
                }
            }
        }, iter: 150);
    }

    [Fact]
    public async Task After_a_clean_full_run_the_active_employees_are_exactly_the_importable_directory_users()
    {
        await GenScenario.SampleAsync(async scenario =>
        {
            await using var h = Build(scenario, p => p.Removal.MaxRemovalsPerRun = int.MaxValue);
            await h.RunAsync(SyncMode.Full);
            await Mutate(h, scenario);
            await h.RunAsync(SyncMode.Full);

            var importable = h.Directory.GetUsers(SyncHarness.Tenant)
                .Where(u => !string.IsNullOrWhiteSpace(u.GetString("mail")) && !string.IsNullOrWhiteSpace(u.GetString("givenName")) && !string.IsNullOrWhiteSpace(u.GetString("surname")))
                .ToList();
            var active = h.Employees.Where(e => e.DirectoryId is not null && e.IsActive).ToList();

            // Every importable user whose email no other importable user shares has exactly one active employee.
            var unique = importable.GroupBy(u => u.GetString("mail")!.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() == 1).Select(g => g.Single());
            foreach (var user in unique)
            {
                Assert.Single(active, e => e.DirectoryId == user.Id);
            }

            // Every active linked employee is an importable directory user, with its current values.
            foreach (var employee in active)
            {
                var user = importable.Single(u => u.Id == employee.DirectoryId);
                Assert.Equal(user.GetString("mail"), employee.Email);
                Assert.Equal(user.GetString("jobTitle") is { Length: > 0 } t ? t : null, employee[FieldNames.JobTitle]);
            }
        }, iter: 150);
    }

    private static SyncHarness Build(Scenario scenario, Action<SyncProfile>? configure = null)
    {
        var h = new SyncHarness(p =>
        {
            p.Removal.PercentageGuardMinimum = int.MaxValue;
            configure?.Invoke(p);
        });
        foreach (var mail in scenario.LocalEmails)
        {
            h.Store.AddLocalEmployee(SyncHarness.Tenant, mail, new Dictionary<string, string?> { ["Note"] = "added by hand" });
        }

        foreach (var user in scenario.Users)
        {
            h.AddUser(user.Given, user.Surname, more: p =>
            {
                p["mail"] = user.Mail;
                p["jobTitle"] = user.Title;
            });
        }

        return h;
    }

    private static Task Mutate(SyncHarness h, Scenario scenario)
    {
        foreach (var mutation in scenario.Mutations)
        {
            var users = h.Directory.GetUsers(SyncHarness.Tenant);
            if (users.Count == 0)
            {
                break;
            }

            var user = users[mutation.Target % users.Count];
            switch (mutation.Kind)
            {
                case 0:
                    h.Change(user.Id, "jobTitle", "Changed " + mutation.Target);
                    break;
                case 1:
                    h.Directory.Remove(SyncHarness.Tenant, user.Id, mutation.Target % 2 == 0 ? DirectoryRemovalReason.SoftDeleted : DirectoryRemovalReason.Deleted);
                    break;
                case 2:
                    h.Change(user.Id, "mail", Mails[mutation.Target % Mails.Length]);
                    break;
                default:
                    h.AddUser("New" + mutation.Target, "Person");
                    break;
            }
        }

        return Task.CompletedTask;
    }

    private sealed record UserSpec(string Given, string Surname, string? Mail, string Title);

    private sealed record Mutation(int Kind, int Target);

    private sealed record Scenario(List<UserSpec> Users, List<string?> LocalEmails, List<Mutation> Mutations)
    {
        public override string ToString() =>
            $"users [{string.Join("; ", Users)}] locals [{string.Join(", ", LocalEmails)}] mutations [{string.Join(", ", Mutations)}]";
    }
}
