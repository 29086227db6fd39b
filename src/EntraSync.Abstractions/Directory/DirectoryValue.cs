using System.Globalization;

namespace EntraSync;

/// <summary>
/// The value of one directory property as the source read it: null, a string, a Boolean, a number, or a list of strings.
/// </summary>
/// <remarks>
/// A property that was not returned at all is not a <see cref="DirectoryValue"/>: it is simply absent from
/// <see cref="DirectoryUser.Properties"/>. <see cref="Null"/> means the directory returned the property with no value.
/// Nested objects are flattened by the source into <c>parent/child</c> keys
/// (for example <c>onPremisesExtensionAttributes/extensionAttribute1</c>).
/// </remarks>
public sealed class DirectoryValue : IEquatable<DirectoryValue>
{
    private static readonly DirectoryValue True = new(DirectoryValueKind.Boolean, null, null, 1);
    private static readonly DirectoryValue False = new(DirectoryValueKind.Boolean, null, null, 0);

    private readonly string? _text;
    private readonly IReadOnlyList<string>? _list;
    private readonly double _number;

    private DirectoryValue(DirectoryValueKind kind, string? text, IReadOnlyList<string>? list, double number)
    {
        Kind = kind;
        _text = text;
        _list = list;
        _number = number;
    }

    /// <summary>Gets the value the directory returned as <c>null</c>.</summary>
    public static DirectoryValue Null { get; } = new(DirectoryValueKind.Null, null, null, 0);

    /// <summary>Gets the kind of value held.</summary>
    public DirectoryValueKind Kind { get; }

    /// <summary>Gets a value indicating whether this is <see cref="Null"/>, an empty string or an empty list.</summary>
    public bool IsEmpty => Kind switch
    {
        DirectoryValueKind.Null => true,
        DirectoryValueKind.String => _text!.Length == 0,
        DirectoryValueKind.List => _list!.Count == 0,
        _ => false,
    };

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The text. A <see langword="null"/> gives <see cref="Null"/>.</param>
    /// <returns>The value.</returns>
    public static DirectoryValue FromString(string? value) => value is null ? Null : new(DirectoryValueKind.String, value, null, 0);

    /// <summary>Creates a Boolean value.</summary>
    /// <param name="value">The flag.</param>
    /// <returns>The value.</returns>
    public static DirectoryValue FromBoolean(bool value) => value ? True : False;

    /// <summary>Creates a number value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static DirectoryValue FromNumber(double value) => new(DirectoryValueKind.Number, null, null, value);

    /// <summary>Creates a list of strings (a multi-valued property such as <c>businessPhones</c> or <c>proxyAddresses</c>).</summary>
    /// <param name="values">The items, in the order the directory returned them.</param>
    /// <returns>The value.</returns>
    public static DirectoryValue FromList(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(DirectoryValueKind.List, null, values, 0);
    }

    /// <summary>
    /// Returns the value as text: the string itself, <c>true</c>/<c>false</c>, a number in invariant culture,
    /// the first item of a list, or <see langword="null"/> for <see cref="Null"/> and empty lists.
    /// </summary>
    /// <returns>The text, or <see langword="null"/>.</returns>
    public string? AsString() => Kind switch
    {
        DirectoryValueKind.String => _text,
        DirectoryValueKind.Boolean => _number != 0 ? "true" : "false",
        DirectoryValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        DirectoryValueKind.List => _list!.Count > 0 ? _list[0] : null,
        _ => null,
    };

    /// <summary>Returns the value as a list: the items of a list, one item for any other non-null value, or an empty list.</summary>
    /// <returns>The items.</returns>
    public IReadOnlyList<string> AsList() => Kind switch
    {
        DirectoryValueKind.List => _list!,
        DirectoryValueKind.Null => [],
        _ => [AsString()!],
    };

    /// <summary>Returns the value as a Boolean, or <see langword="null"/> when it is not one (strings <c>true</c>/<c>false</c> count).</summary>
    /// <returns>The flag, or <see langword="null"/>.</returns>
    public bool? AsBoolean() => Kind switch
    {
        DirectoryValueKind.Boolean => _number != 0,
        DirectoryValueKind.String when bool.TryParse(_text, out var b) => b,
        _ => null,
    };

    /// <summary>Returns the value as a number, or <see langword="null"/> when it is not one (numeric strings count).</summary>
    /// <returns>The number, or <see langword="null"/>.</returns>
    public double? AsNumber() => Kind switch
    {
        DirectoryValueKind.Number => _number,
        DirectoryValueKind.String when double.TryParse(_text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <inheritdoc />
    public bool Equals(DirectoryValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            DirectoryValueKind.String => string.Equals(_text, other._text, StringComparison.Ordinal),
            DirectoryValueKind.List => _list!.SequenceEqual(other._list!, StringComparer.Ordinal),
            DirectoryValueKind.Null => true,
            _ => _number.Equals(other._number),
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DirectoryValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, AsString());

    /// <inheritdoc />
    public override string ToString() => Kind == DirectoryValueKind.List ? string.Join(", ", _list!) : AsString() ?? "null";
}
