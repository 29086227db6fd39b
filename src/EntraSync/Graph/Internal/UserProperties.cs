using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace EntraSync.Graph.Internal;

/// <summary>
/// A user's properties as a slot array over the read's shared <see cref="PropertySchema"/>: one array per user instead
/// of a dictionary, which keeps a 100,000-user read to a few allocations per user. Keys compare case-insensitively;
/// a slot left <see langword="null"/> is a property that was not returned (absent, not null).
/// </summary>
internal sealed class UserProperties : IReadOnlyDictionary<string, DirectoryValue>
{
    private readonly PropertySchema _schema;
    private readonly DirectoryValue?[] _values;

    public UserProperties(PropertySchema schema, DirectoryValue?[] values)
    {
        _schema = schema;
        _values = values;
        var count = 0;
        foreach (var value in values)
        {
            if (value is not null)
            {
                count++;
            }
        }

        Count = count;
    }

    public int Count { get; }

    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (_values[i] is not null)
                {
                    yield return _schema.Names[i];
                }
            }
        }
    }

    public IEnumerable<DirectoryValue> Values
    {
        get
        {
            foreach (var value in _values)
            {
                if (value is not null)
                {
                    yield return value;
                }
            }
        }
    }

    public DirectoryValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The directory did not return the property '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out DirectoryValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_schema.TryGetSlot(key, out var slot) && slot < _values.Length && _values[slot] is { } found)
        {
            value = found;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, DirectoryValue>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_values[i] is { } value)
            {
                yield return new KeyValuePair<string, DirectoryValue>(_schema.Names[i], value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
