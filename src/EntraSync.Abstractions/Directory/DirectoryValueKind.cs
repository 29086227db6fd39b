namespace EntraSync;

/// <summary>The kind of a <see cref="DirectoryValue"/>.</summary>
public enum DirectoryValueKind
{
    /// <summary>The directory returned the property as <c>null</c>.</summary>
    Null,

    /// <summary>A string.</summary>
    String,

    /// <summary>A Boolean.</summary>
    Boolean,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A list of strings.</summary>
    List,
}
