namespace EntraSync.Mapping;

/// <summary>
/// A named transform a field applies to its value (<see cref="FieldMapping.Transform"/>): the code hook for custom
/// mapping. Register one with <c>AddFieldTransform</c> on the builder <c>AddEntraUserSync</c> returns.
/// </summary>
public interface IFieldTransform
{
    /// <summary>Gets the name fields use in <see cref="FieldMapping.Transform"/>, compared ignoring case.</summary>
    string Name { get; }

    /// <summary>Transforms one value.</summary>
    /// <param name="value">The value read from the source, trimmed; <see langword="null"/> when empty.</param>
    /// <param name="context">The field, the user and the run.</param>
    /// <returns>The value to store; <see langword="null"/> or empty to leave the field empty (then <see cref="FieldMapping.Default"/> applies).</returns>
    /// <exception cref="FormatException">The value cannot be transformed; sync skips the user with the message as reason.</exception>
    string? Transform(string? value, FieldTransformContext context);
}
