using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EntraSync.Mapping.Internal;

/// <summary>
/// The field names of one field map, in map order without repeats, with each map entry's slot: shared by every
/// <see cref="FieldValues"/> mapped with that map, so a user's fields cost one value array instead of a dictionary.
/// </summary>
internal sealed class FieldSchema
{
    private static readonly ConditionalWeakTable<IList<FieldMapping>, FieldSchema> Cache = [];

    private readonly Dictionary<string, int> _slots;

    private FieldSchema(IList<FieldMapping> map)
    {
        _slots = new Dictionary<string, int>(map.Count, StringComparer.Ordinal);
        var names = new List<string>(map.Count);
        SlotOfEntry = new int[map.Count];
        MapNames = new string?[map.Count];
        for (var i = 0; i < map.Count; i++)
        {
            var name = map[i]?.Name;
            MapNames[i] = name;
            if (name is null)
            {
                SlotOfEntry[i] = -1;
                continue;
            }

            if (!_slots.TryGetValue(name, out var slot))
            {
                // A name the map repeats keeps its first position, as a dictionary's indexer would.
                _slots[name] = slot = names.Count;
                names.Add(name);
            }

            SlotOfEntry[i] = slot;
        }

        Names = [.. names];
    }

    /// <summary>Gets the distinct field names in map order.</summary>
    public string[] Names { get; }

    /// <summary>Gets, for each entry of the map, its slot in <see cref="Names"/> (-1 for a missing entry).</summary>
    public int[] SlotOfEntry { get; }

    private string?[] MapNames { get; }

    /// <summary>Gets the schema of a field map, built once per map (and again if the map's names were changed in place).</summary>
    public static FieldSchema For(IList<FieldMapping> map)
    {
        if (Cache.TryGetValue(map, out var schema) && schema.Matches(map))
        {
            return schema;
        }

        schema = new FieldSchema(map);
        Cache.AddOrUpdate(map, schema);
        return schema;
    }

    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    private bool Matches(IList<FieldMapping> map)
    {
        if (map.Count != MapNames.Length)
        {
            return false;
        }

        for (var i = 0; i < map.Count; i++)
        {
            var name = map[i]?.Name;
            if (!ReferenceEquals(name, MapNames[i]) && !string.Equals(name, MapNames[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A user's mapped fields: the values in a slot array over the map's shared <see cref="FieldSchema"/>, read as a
/// dictionary by field name (ordinal) in map order. Every field of the map is present; an empty one has a
/// <see langword="null"/> value.
/// </summary>
internal sealed class FieldValues(FieldSchema schema, string?[] values) : IReadOnlyDictionary<string, string?>
{
    public int Count => values.Length;

    public IEnumerable<string> Keys => schema.Names;

    public IEnumerable<string?> Values => values;

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The field map has no field '{key}'.");

    public bool ContainsKey(string key) => schema.TryGetSlot(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (schema.TryGetSlot(key, out var slot))
        {
            value = values[slot];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Enumerates the fields without allocating (for the engine's own loops).</summary>
    public Enumerator GetEnumerator() => new(schema.Names, values);

    IEnumerator<KeyValuePair<string, string?>> IEnumerable<KeyValuePair<string, string?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates name and value pairs in map order.</summary>
    public struct Enumerator(string[] names, string?[] values) : IEnumerator<KeyValuePair<string, string?>>
    {
        private int _index = -1;

        public readonly KeyValuePair<string, string?> Current => new(names[_index], values[_index]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < values.Length;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
