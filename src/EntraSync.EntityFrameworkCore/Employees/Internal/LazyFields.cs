using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace EntraSync.EntityFrameworkCore.Internal;

/// <summary>The synced fields of a stored employee, parsed from JSON only when something reads them.</summary>
internal sealed class LazyFields(string? json) : IReadOnlyDictionary<string, string?>
{
    private IReadOnlyDictionary<string, string?>? _fields;

    private IReadOnlyDictionary<string, string?> Fields => _fields ??= EmployeeJson.ReadFields(json);

    public string? this[string key] => Fields[key];

    public IEnumerable<string> Keys => Fields.Keys;

    public IEnumerable<string?> Values => Fields.Values;

    public int Count => Fields.Count;

    public bool ContainsKey(string key) => Fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value) => Fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => Fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
