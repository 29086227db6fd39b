using System.Text;
using System.Text.Json;

namespace EntraSync.Graph.Internal;

/// <summary>
/// Shares one <see cref="DirectoryValue"/> between users with the same short value in the same property (department,
/// city, country, job title...), which is most of a directory. A property whose values rarely repeat (ids, emails,
/// phone numbers) is detected after a few hundred values and no longer cached, so the cache stays small and cheap.
/// </summary>
internal sealed class ValueCache
{
    private const int MaxCachedBytes = 64;
    private const int MaxEntriesPerProperty = 8192;
    private const int Probation = 256;

    private SlotCache?[] _slots = new SlotCache?[32];

    public DirectoryValue EmptyList { get; } = DirectoryValue.FromList([]);

    public DirectoryValue GetString(int slot, ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > MaxCachedBytes)
        {
            return DirectoryValue.FromString(reader.GetString());
        }

        var cache = GetSlot(slot);
        if (cache.Disabled)
        {
            return DirectoryValue.FromString(reader.GetString());
        }

        Span<char> chars = stackalloc char[MaxCachedBytes];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var text = chars[..length];
        cache.Lookups++;
        if (cache.Lookup.TryGetValue(text, out var found))
        {
            cache.Hits++;
            return found;
        }

        var value = DirectoryValue.FromString(text.ToString());
        if (cache.Lookups >= Probation && cache.Hits * 4 < cache.Lookups)
        {
            cache.Disable();
        }
        else if (cache.Values.Count < MaxEntriesPerProperty)
        {
            cache.Values.Add(value.AsString()!, value);
        }

        return value;
    }

    private SlotCache GetSlot(int slot)
    {
        if (slot >= _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(slot + 1, _slots.Length * 2));
        }

        return _slots[slot] ??= new SlotCache();
    }

    private sealed class SlotCache
    {
        public SlotCache() => Lookup = Values.GetAlternateLookup<ReadOnlySpan<char>>();

        public Dictionary<string, DirectoryValue> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DirectoryValue>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

        public int Lookups { get; set; }

        public int Hits { get; set; }

        public bool Disabled { get; private set; }

        public void Disable()
        {
            Disabled = true;
            Values.Clear();
            Values.TrimExcess();
        }
    }
}
