// The C# blocks of docs/field-mapping.md, compiled.
using EntraSync;
using EntraSync.Preview;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

public static class FieldMappingSnippets
{
    public static void EditTheMap(IServiceCollection services)
    {
        services.AddEntraUserSync(options =>
        {
            var profile = new SyncProfile { TenantId = "contoso" /* , Connection = ... */ };
            var fields = profile.Fields.Fields;                       // starts as the 16 default fields
            fields.Remove(fields.First(f => f.Name == FieldNames.Fax));                               // remove
            fields.First(f => f.Name == FieldNames.JobTitle).Source = "extension_b7d8e648520f41d3b9c0fdeb91768a0a_title"; // re-map
            fields.Insert(2, new FieldMapping { Name = "Cost Center", Source = "onPremisesExtensionAttributes/extensionAttribute3", Default = "n/a" });
            fields.Add(new FieldMapping { Name = "Groups", Source = "memberOf", MultiValue = MultiValueMode.Join, Separator = "; " });
            fields.Add(new FieldMapping { Name = "Initials", Source = "givenName", Transform = "initials" });
            fields.Add(new FieldMapping { Name = "Source", Constant = "Entra ID" });
            options.Tenants.Add(profile);
        })
        .AddEmployeeStore<MyStore>()
        .AddFieldTransform("initials", (value, context) => value is null ? null : $"{value[0]}.");
    }

    public static async Task PreviewAsync(IHost app)
    {
        var result = await app.Services.GetRequiredService<ISyncPreview>().PreviewAsync("contoso");
        foreach (var user in result.Users)
            Console.WriteLine($"{user.Outcome} {user.Email} {user.Reason} {string.Join(", ", user.Fields)}");
        Console.WriteLine(result.Totals);   // read 1200, imported 1100, out of scope 80, skipped 20, unassigned 35
    }
}
