using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace EntraSync.Profiles;

/// <summary>
/// Binds profiles from configuration (appsettings.json, a JSON file, environment variables) so that a list given in
/// configuration replaces the default list instead of being appended to it.
/// </summary>
/// <remarks>
/// The configuration binder appends configured items to a list that already has items, so a field map or
/// <c>MandatoryFields</c> written in appsettings would otherwise come out as the defaults plus the configured items.
/// </remarks>
public static class SyncProfileConfiguration
{
    /// <summary>Creates a profile from a configuration section shaped like <see cref="SyncProfile"/>.</summary>
    /// <param name="section">The section.</param>
    /// <returns>The profile.</returns>
    public static SyncProfile Load(IConfiguration section)
    {
        var profile = new SyncProfile();
        Bind(section, profile);
        return profile;
    }

    /// <summary>Binds a configuration section onto a profile; lists present in the section replace the profile's lists.</summary>
    /// <param name="section">The section.</param>
    /// <param name="profile">The profile to bind onto.</param>
    public static void Bind(IConfiguration section, SyncProfile profile)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(profile);
        section.Bind(profile);
        ReplaceConfiguredLists(section, profile);
    }

    /// <summary>Binds <see cref="EntraSyncOptions"/>, replacing default lists with configured ones in every tenant.</summary>
    /// <param name="section">The <c>EntraSync</c> section.</param>
    /// <param name="options">The options.</param>
    internal static void Bind(IConfiguration section, EntraSyncOptions options)
    {
        section.Bind(options);
        var tenants = section.GetSection(nameof(EntraSyncOptions.Tenants));
        for (var i = 0; i < options.Tenants.Count; i++)
        {
            ReplaceConfiguredLists(tenants.GetSection(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), options.Tenants[i]);
        }
    }

    private static void ReplaceConfiguredLists(IConfiguration section, object target)
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var child = section.GetSection(property.Name);
            if (!child.Exists())
            {
                continue;
            }

            var type = property.PropertyType;
            if (IsList(type, out var itemType) && property.CanWrite)
            {
                var listType = typeof(List<>).MakeGenericType(itemType);
                var list = (IList)Activator.CreateInstance(listType)!;
                foreach (var item in child.GetChildren().OrderBy(c => int.TryParse(c.Key, out var n) ? n : int.MaxValue))
                {
                    var value = item.Get(itemType);
                    if (value is not null)
                    {
                        if (!IsSimple(itemType))
                        {
                            ReplaceConfiguredLists(item, value);
                        }

                        list.Add(value);
                    }
                }

                property.SetValue(target, list);
            }
            else if (!IsSimple(type) && property.GetValue(target) is { } nested && !IsList(type, out _))
            {
                ReplaceConfiguredLists(child, nested);
            }
        }
    }

    private static bool IsList(Type type, out Type itemType)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(ICollection<>) || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>)))
        {
            itemType = type.GetGenericArguments()[0];
            return true;
        }

        itemType = typeof(object);
        return false;
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) || type == typeof(Uri)
        || Nullable.GetUnderlyingType(type) is not null || typeof(IDictionary).IsAssignableFrom(type);
}
