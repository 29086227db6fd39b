namespace EntraSync;

/// <summary>One field whose value changes.</summary>
public sealed class FieldChange
{
    /// <summary>Gets the field name.</summary>
    public required string Field { get; init; }

    /// <summary>Gets the value sync last wrote, or <see langword="null"/>.</summary>
    public string? OldValue { get; init; }

    /// <summary>Gets the new value, or <see langword="null"/>.</summary>
    public string? NewValue { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Field}: '{OldValue}' -> '{NewValue}'";
}
