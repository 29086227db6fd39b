namespace EntraSync;

/// <summary>How a multi-valued directory property becomes one field value.</summary>
public enum MultiValueMode
{
    /// <summary>The first item (Xink's Phone is <c>businessPhones[0]</c>).</summary>
    First,

    /// <summary>All items, joined with <see cref="FieldMapping.Separator"/>.</summary>
    Join,
}
