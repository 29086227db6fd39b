using System.Text;

namespace EntraSync.Graph.Internal;

/// <summary>
/// The property names one read accepts, each with a slot number. Users of the read share it so each user holds only
/// an array of values. Copy-on-write: a user keeps the version it was built with, so a later page that adds a
/// flattened name (<c>onPremisesExtensionAttributes/extensionAttribute3</c>) never changes what earlier users see.
/// </summary>
internal sealed class PropertySchema
{
    private readonly Dictionary<string, int> _slots;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private PropertySchema(List<string> names, Dictionary<string, int> slots, bool acceptAll)
    {
        Names = names;
        _slots = slots;
        _lookup = slots.GetAlternateLookup<ReadOnlySpan<char>>();
        AcceptsAll = acceptAll;
    }

    /// <summary>Gets the names by slot.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>Gets a value indicating whether every top-level property is kept (nothing was selected).</summary>
    public bool AcceptsAll { get; }

    /// <summary>Creates the schema for the selected top-level properties; an empty selection keeps everything returned.</summary>
    public static PropertySchema Create(IEnumerable<string> selected)
    {
        var names = new List<string>();
        var slots = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in selected)
        {
            if (!string.IsNullOrWhiteSpace(name) && !string.Equals(name, "id", StringComparison.OrdinalIgnoreCase) && slots.TryAdd(name, names.Count))
            {
                names.Add(name);
            }
        }

        return new PropertySchema(names, slots, names.Count == 0);
    }

    public bool TryGetSlot(string name, out int slot) => _slots.TryGetValue(name, out slot);

    public bool TryGetSlot(ReadOnlySpan<char> name, out int slot) => _lookup.TryGetValue(name, out slot);

    /// <summary>Gets whether a top-level property is kept.</summary>
    public bool IsSelected(ReadOnlySpan<char> name) => AcceptsAll || _lookup.ContainsKey(name);

    /// <summary>Returns a schema that also has <paramref name="name"/> (this one when it already has it).</summary>
    public PropertySchema With(string name, out int slot)
    {
        if (_slots.TryGetValue(name, out slot))
        {
            return this;
        }

        var names = new List<string>(Names.Count + 4);
        names.AddRange(Names);
        var slots = new Dictionary<string, int>(_slots, StringComparer.OrdinalIgnoreCase);
        slot = names.Count;
        names.Add(name);
        slots.Add(name, slot);
        return new PropertySchema(names, slots, AcceptsAll);
    }

    /// <summary>Decodes a UTF-8 property name into <paramref name="buffer"/>.</summary>
    public static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8, Span<char> buffer)
    {
        var written = Encoding.UTF8.GetChars(utf8, buffer);
        return buffer[..written];
    }
}
