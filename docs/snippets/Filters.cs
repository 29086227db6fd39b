// The C# blocks of docs/filters.md, compiled.
using EntraSync;

namespace Snippets;

public static class FilterSnippets
{
    public static SyncProfile Build()
    {
        var profile = new SyncProfile { TenantId = "contoso" };
        profile.Filter.PeopleOnly.Enabled = true;
        profile.Filter.PeopleOnly.ExcludeUnlicensed = false;          // F1 workers without a license still count
        profile.Filter.PeopleOnly.ServiceAccountPatterns.Add("robot-*");
        profile.Filter.Groups.Add(new FilterGroup
        {
            Name = "Nordic sales",
            Rules =
            [
                new FilterRule { Property = "department", Operator = FilterOperator.EqualTo, Value = "Sales" },
                new FilterRule { Property = "country", Operator = FilterOperator.In, Values = ["DK", "SE", "NO"] },
            ],
        });
        profile.Filter.Groups.Add(new FilterGroup
        {
            Rules = [new FilterRule { Property = "onPremisesExtensionAttributes/extensionAttribute1", Operator = FilterOperator.EqualTo, Value = "Staff" }],
        });
        return profile;
    }
}
