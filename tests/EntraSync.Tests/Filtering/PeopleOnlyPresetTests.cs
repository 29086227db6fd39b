using EntraSync.Filtering;
using static EntraSync.Tests.Mapping.PipelineTestData;

namespace EntraSync.Tests.Filtering;

public sealed class PeopleOnlyPresetTests
{
    private static readonly (string, object?)[] Person =
    [
        ("givenName", "Eva"),
        ("surname", "Holm"),
        ("displayName", "Eva Holm"),
        ("userPrincipalName", "eva.holm@contoso.com"),
        ("mail", "eva.holm@contoso.com"),
        ("userType", "Member"),
        ("accountEnabled", true),
        ("assignedLicenses", new[] { "c42b9cae-ea4f-4ab7-9717-81576235ccac" }),
    ];

    private static DirectoryUser With(params (string Name, object? Value)[] changes)
    {
        var properties = Person.ToDictionary(p => p.Item1, p => p.Item2, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in changes)
        {
            properties[name] = value;
        }

        return User("u1", properties.Select(p => (p.Key, p.Value)).ToArray());
    }

    private static SyncProfile Preset(Action<PeopleOnlyOptions>? configure = null)
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.PeopleOnly.Enabled = true;
        configure?.Invoke(profile.Filter.PeopleOnly);
        return profile;
    }

    private static ScopeDecision Evaluate(DirectoryUser user, SyncProfile profile) => new UserFilter().Evaluate(user, Context(profile));

    [Fact]
    public void A_licensed_enabled_member_with_a_name_is_a_person() => Assert.True(Evaluate(With(), Preset()).IsInScope);

    [Fact]
    public void The_preset_is_off_by_default() => Assert.True(Evaluate(With(("accountEnabled", false), ("userType", "Guest")), new SyncProfile()).IsInScope);

    public static TheoryData<string, (string, object?)[], Action<PeopleOnlyOptions>> Parts => new()
    {
        { "people only: disabled account (accountEnabled is false)", [("accountEnabled", false)], o => o.ExcludeDisabledAccounts = false },
        { "people only: guest (userType is Guest)", [("userType", "Guest")], o => o.ExcludeGuests = false },
        { "people only: guest (user principal name contains #EXT#)", [("userType", null), ("userPrincipalName", "eva_fabrikam.com#EXT#@contoso.onmicrosoft.com")], o => o.ExcludeGuests = false },
        { "people only: no license (assignedLicenses is empty)", [("assignedLicenses", Array.Empty<string>())], o => o.ExcludeUnlicensed = false },
        { "people only: room, equipment or shared mailbox (displayName \"Meeting Room 4\" matches \"*meeting room*\")", [("displayName", "Meeting Room 4")], o => o.ExcludeRoomsAndSharedMailboxes = false },
        { "people only: room, equipment or shared mailbox (userPrincipalName \"info@contoso.com\" matches \"info@*\")", [("userPrincipalName", "info@contoso.com")], o => o.ExcludeRoomsAndSharedMailboxes = false },
        { "people only: service account (userPrincipalName \"svc-backup@contoso.com\" matches \"svc-*\")", [("userPrincipalName", "svc-backup@contoso.com")], o => o.ExcludeServiceAccounts = false },
        { "people only: service account (displayName \"On-Premises Directory Synchronization Service Account\" matches \"*service account*\")", [("displayName", "On-Premises Directory Synchronization Service Account")], o => o.ExcludeServiceAccounts = false },
        { "people only: no given name and no surname", [("givenName", null), ("surname", "")], o => o.ExcludeUsersWithoutName = false },
    };

    [Theory]
    [MemberData(nameof(Parts))]
    public void Each_part_excludes_with_its_own_reason_and_can_be_switched_off(string reason, (string, object?)[] changes, Action<PeopleOnlyOptions> switchOff)
    {
        var user = With(changes);

        Assert.Equal(reason, Evaluate(user, Preset()).Reason);
        Assert.True(Evaluate(user, Preset(switchOff)).IsInScope);
    }

    [Fact]
    public void Configured_patterns_add_to_the_built_in_ones_which_can_be_switched_off()
    {
        var robot = With(("userPrincipalName", "robot-7@contoso.com"));
        var info = With(("mail", "info@contoso.com"));

        Assert.True(Evaluate(robot, Preset()).IsInScope);
        Assert.Equal(
            "people only: service account (userPrincipalName \"robot-7@contoso.com\" matches \"ROBOT-?@*\")",
            Evaluate(robot, Preset(o => o.ServiceAccountPatterns.Add("ROBOT-?@*"))).Reason);
        Assert.False(Evaluate(info, Preset()).IsInScope);
        Assert.True(Evaluate(info, Preset(o => o.UseBuiltInPatterns = false)).IsInScope);
    }

    [Fact]
    public void An_absent_account_flag_does_not_exclude()
    {
        var properties = Person.Where(p => p.Item1 != "accountEnabled").ToArray();

        Assert.True(Evaluate(User("u1", properties), Preset()).IsInScope);
    }

    [Fact]
    public void The_preset_is_checked_before_the_rule_groups()
    {
        var profile = Preset();
        profile.Filter.Groups.Add(new FilterGroup { Rules = [new FilterRule { Property = "department", Operator = FilterOperator.EqualTo, Value = "Sales" }] });

        Assert.StartsWith("people only: disabled account", Evaluate(With(("accountEnabled", false)), profile).Reason, StringComparison.Ordinal);
        Assert.StartsWith("filter: department equals", Evaluate(With(), profile).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_properties_follow_the_parts_switched_on()
    {
        Assert.Equal(
            new[] { "accountEnabled", "assignedLicenses", "displayName", "givenName", "mail", "surname", "userPrincipalName", "userType" },
            new UserFilter().GetRequiredProperties(Context(Preset())).Order(StringComparer.Ordinal));

        var onlyLicenses = Preset(o =>
        {
            o.ExcludeDisabledAccounts = false;
            o.ExcludeGuests = false;
            o.ExcludeRoomsAndSharedMailboxes = false;
            o.ExcludeServiceAccounts = false;
            o.ExcludeUsersWithoutName = false;
        });
        Assert.Equal(["assignedLicenses"], new UserFilter().GetRequiredProperties(Context(onlyLicenses)));
    }
}
