using EntraSync.Mapping;
using EntraSync.Mapping.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers field transforms, the code hook of the default field mapper.</summary>
public static class FieldTransformBuilderExtensions
{
    /// <summary>Registers a transform that fields name in <see cref="EntraSync.FieldMapping.Transform"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The name fields use, compared ignoring case. A name registered twice: the last one wins.</param>
    /// <param name="transform">Turns the value read (trimmed, <see langword="null"/> when empty) into the value stored.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddFieldTransform(this IEntraSyncBuilder builder, string name, Func<string?, FieldTransformContext, string?> transform)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(transform);
        builder.Services.AddSingleton<IFieldTransform>(new DelegateFieldTransform(name, transform));
        return builder;
    }

    /// <summary>Registers a transform class (a singleton) that fields name in <see cref="EntraSync.FieldMapping.Transform"/>.</summary>
    /// <typeparam name="TTransform">The transform.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IEntraSyncBuilder AddFieldTransform<TTransform>(this IEntraSyncBuilder builder)
        where TTransform : class, IFieldTransform
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IFieldTransform, TTransform>());
        return builder;
    }
}
