using System.Globalization;

namespace EntraSync.Tests.Mapping;

/// <summary>Builders for directory users and run contexts used by the mapping, filtering, matching and preview tests.</summary>
internal static class PipelineTestData
{
    public static DirectoryUser User(string id, params (string Name, object? Value)[] properties)
    {
        var values = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in properties)
        {
            values[name] = Value(value);
        }

        return new DirectoryUser { Id = id, Properties = values };
    }

    public static DirectoryValue Value(object? value) => value switch
    {
        null => DirectoryValue.Null,
        string s => DirectoryValue.FromString(s),
        bool b => DirectoryValue.FromBoolean(b),
        IEnumerable<string> list => DirectoryValue.FromList(list.ToList()),
        IConvertible c => DirectoryValue.FromNumber(c.ToDouble(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException("Unsupported value.", nameof(value)),
    };

    public static SyncContext Context(SyncProfile? profile = null) => new()
    {
        TenantId = profile?.TenantId is { Length: > 0 } tenant ? tenant : "contoso",
        RunId = "run-1",
        Profile = profile ?? new SyncProfile { TenantId = "contoso" },
    };

    public static Dictionary<string, object?> Person(string given, string surname, params (string Name, object? Value)[] more)
    {
        var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["givenName"] = given,
            ["surname"] = surname,
            ["displayName"] = $"{given} {surname}",
            ["mail"] = $"{given.ToLowerInvariant()}.{surname.ToLowerInvariant()}@contoso.com",
        };
        foreach (var (name, value) in more)
        {
            properties[name] = value;
        }

        return properties;
    }

    public static IReadOnlyList<string> Errors(SyncProfile profile) => EntraSync.Profiles.SyncProfileValidator.Validate(profile, "EntraSync:Tenants:0:");
}
