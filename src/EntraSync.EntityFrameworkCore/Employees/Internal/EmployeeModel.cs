using System.ComponentModel;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EntraSync.EntityFrameworkCore.Internal;

/// <summary>
/// A validated <see cref="EmployeeEntityMapping{TEmployee}"/>, compiled once: predicates and projections for queries,
/// setters for writes, and the entity's key as the EF model describes it.
/// </summary>
internal sealed class EmployeeModel<TEmployee>
    where TEmployee : class
{
    private const string Path = "EmployeeEntityMapping";
    private readonly EmployeeEntityMapping<TEmployee> _mapping;
    private readonly Action<TEmployee, string>? _setTenant;
    private readonly Action<TEmployee, string?> _setDirectoryId;
    private readonly Action<TEmployee, string?> _setEmail;
    private readonly Action<TEmployee, string?>? _setNormalizedEmail;
    private readonly Action<TEmployee, string?> _setContentHash;
    private readonly Action<TEmployee, DateTimeOffset?> _setDeactivatedAt;
    private readonly Action<TEmployee, string?>? _setSyncedFields;
    private readonly Action<TEmployee, string?>? _setAssignment;
    private readonly Action<TEmployee, string?>? _setPhotoETag;
    private readonly Action<TEmployee, byte[]?>? _setPhoto;
    private readonly (string Field, Action<TEmployee, string?> Set)[] _setFields;
    private readonly Func<TEmployee, string?> _getDirectoryId;
    private readonly Lock _gate = new();
    private KeyModel? _key;

    public EmployeeModel(EmployeeEntityMapping<TEmployee> mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var problems = Validate(mapping);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The EF Core employee store for {typeof(TEmployee).Name} is not configured correctly: " + string.Join(" ", problems));
        }

        _mapping = mapping;
        _setTenant = Expressions.Property(mapping.TenantId!) is null ? null : Setter(mapping.TenantId!);
        _setDirectoryId = Setter(mapping.DirectoryId!);
        _setEmail = Setter(mapping.Email!);
        _setNormalizedEmail = mapping.NormalizedEmail is null ? null : Setter(mapping.NormalizedEmail);
        _setContentHash = Setter(mapping.ContentHash!);
        _setDeactivatedAt = Setter(mapping.DeactivatedAt!);
        _setSyncedFields = mapping.SyncedFields is null ? null : Setter(mapping.SyncedFields);
        _setAssignment = mapping.SyncedAssignment is null ? null : Setter(mapping.SyncedAssignment);
        _setPhotoETag = mapping.PhotoETag is null ? null : Setter(mapping.PhotoETag);
        _setPhoto = mapping.Photo is null ? null : Setter(mapping.Photo);
        _setFields = mapping.Fields.Select(f => (f.Key, Setter(f.Value))).ToArray();
        MappedFieldNames = mapping.Fields.Keys.ToArray();
        _getDirectoryId = mapping.DirectoryId!.Compile();
        DirectoryIdProperty = Expressions.Property(mapping.DirectoryId!)!.Name;
        DeactivatedAt = mapping.DeactivatedAt!;
        OnChange = mapping.OnChange;
    }

    public string[] MappedFieldNames { get; }

    /// <summary>Gets the name of the property holding the directory id.</summary>
    public string DirectoryIdProperty { get; }

    public Expression<Func<TEmployee, DateTimeOffset?>> DeactivatedAt { get; }

    public Func<EmployeeChangeContext<TEmployee>, CancellationToken, ValueTask>? OnChange { get; }

    public static IReadOnlyList<string> Validate(EmployeeEntityMapping<TEmployee> mapping)
    {
        var problems = new List<string>();
        void Required(LambdaExpression? selector, string name, bool settable = true)
        {
            if (selector is null)
            {
                problems.Add($"{Path}.{name} is required: set it to the property holding it, for example e => e.{name}.");
            }
            else if (settable)
            {
                Settable(selector, name);
            }
        }

        void Settable(LambdaExpression? selector, string name)
        {
            if (selector is not null && Expressions.Property(selector) is null)
            {
                problems.Add($"{Path}.{name} must be a writable property of {typeof(TEmployee).Name} (e => e.Column), not '{selector}'.");
            }
        }

        Required(mapping.TenantId, nameof(mapping.TenantId), settable: false);
        Required(mapping.DirectoryId, nameof(mapping.DirectoryId));
        Required(mapping.Email, nameof(mapping.Email));
        Required(mapping.ContentHash, nameof(mapping.ContentHash));
        Required(mapping.DeactivatedAt, nameof(mapping.DeactivatedAt));
        Settable(mapping.NormalizedEmail, nameof(mapping.NormalizedEmail));
        Settable(mapping.SyncedFields, nameof(mapping.SyncedFields));
        Settable(mapping.SyncedAssignment, nameof(mapping.SyncedAssignment));
        Settable(mapping.PhotoETag, nameof(mapping.PhotoETag));
        Settable(mapping.Photo, nameof(mapping.Photo));
        foreach (var (field, selector) in mapping.Fields)
        {
            if (selector is null)
            {
                problems.Add($"{Path}.Fields[\"{field}\"] has no property: map it to e => e.Column or remove it.");
            }
            else
            {
                Settable(selector, $"Fields[\"{field}\"]");
            }
        }

        if (mapping.SyncedFields is null && mapping.Fields.Count == 0)
        {
            problems.Add($"{Path} stores no field: set {Path}.SyncedFields to a JSON text column, or map fields to columns in {Path}.Fields.");
        }

        if (mapping.TenantId is not null && Expressions.Property(mapping.TenantId) is null && mapping.NewEmployee is null)
        {
            problems.Add($"{Path}.TenantId is not a plain property, so the store cannot set it on new employees: set {Path}.NewEmployee to make one for a tenant.");
        }

        if (mapping.NewEmployee is null && typeof(TEmployee).GetConstructor(Type.EmptyTypes) is null)
        {
            problems.Add($"{typeof(TEmployee).Name} has no parameterless constructor: set {Path}.NewEmployee to make one for a tenant.");
        }

        return problems;
    }

    /// <summary>Gets the key as the EF model describes it, checking the model once.</summary>
    public KeyModel Key(DbContext context)
    {
        if (_key is { } key)
        {
            return key;
        }

        lock (_gate)
        {
            return _key ??= KeyModel.Create(context.Model, _mapping);
        }
    }

    public Expression<Func<TEmployee, bool>> OfTenant(string tenantId) => Expressions.Compose(_mapping.TenantId!, t => t == tenantId);

    public Expression<Func<TEmployee, bool>> Linked() => Expressions.Compose(_mapping.DirectoryId!, d => d != null);

    /// <summary>
    /// Matches directory ids passed as one array parameter. No <c>IS NOT NULL</c> beside the <c>IN</c>: with it SQLite
    /// range-scans the tenant's part of the index instead of seeking each value.
    /// </summary>
    public Expression<Func<TEmployee, bool>> DirectoryIdIn(IEnumerable<string> ids)
    {
        List<string?> values = [.. ids];
        return Expressions.Compose(_mapping.DirectoryId!, d => EF.Parameter(values).Contains(d));
    }

    public Expression<Func<TEmployee, bool>> EmailIn(IEnumerable<string> emails)
    {
        if (_mapping.NormalizedEmail is { } normalized)
        {
            List<string?> values = [.. emails.Select(EmployeeEmail.Normalize).OfType<string>().Distinct(StringComparer.Ordinal)];
            return Expressions.Compose(normalized, n => EF.Parameter(values).Contains(n));
        }

        // No normalized column: compare in SQL, which cannot use an index (documented).
        var lowered = emails.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(); the parameters are lowered invariantly.
        return Expressions.Compose(_mapping.Email!, m => m != null && EF.Parameter(lowered).Contains(m.Trim().ToLower()));
#pragma warning restore CA1304, CA1311
    }

    /// <summary>Builds the projection the store reads; <paramref name="withFields"/> adds the synced fields and the assignment.</summary>
    public Expression<Func<TEmployee, EmployeeRow>> Projection(KeyModel key, bool withFields)
    {
        var parameter = Expression.Parameter(typeof(TEmployee), "e");
        var bindings = new List<MemberBinding>
        {
            Bind(nameof(EmployeeRow.Key), Expression.Convert(key.Access(parameter), typeof(object))),
            Bind(nameof(EmployeeRow.DirectoryId), Expressions.Replace(_mapping.DirectoryId!, parameter)),
            Bind(nameof(EmployeeRow.Email), Expressions.Replace(_mapping.Email!, parameter)),
            Bind(nameof(EmployeeRow.ContentHash), Expressions.Replace(_mapping.ContentHash!, parameter)),
            Bind(nameof(EmployeeRow.DeactivatedAt), Expressions.Replace(_mapping.DeactivatedAt!, parameter)),
        };
        if (_mapping.PhotoETag is { } photoETag)
        {
            bindings.Add(Bind(nameof(EmployeeRow.PhotoETag), Expressions.Replace(photoETag, parameter)));
        }

        if (withFields)
        {
            if (_mapping.SyncedFields is { } syncedFields)
            {
                bindings.Add(Bind(nameof(EmployeeRow.SyncedFields), Expressions.Replace(syncedFields, parameter)));
            }

            if (_mapping.SyncedAssignment is { } assignment)
            {
                bindings.Add(Bind(nameof(EmployeeRow.Assignment), Expressions.Replace(assignment, parameter)));
            }

            if (_mapping.Fields.Count > 0)
            {
                bindings.Add(Bind(nameof(EmployeeRow.MappedFields), Expression.NewArrayInit(typeof(string), _mapping.Fields.Values.Select(f => Expressions.Replace(f, parameter)))));
            }
        }

        return Expression.Lambda<Func<TEmployee, EmployeeRow>>(Expression.MemberInit(Expression.New(typeof(EmployeeRow)), bindings), parameter);

        static MemberBinding Bind(string name, Expression value) => Expression.Bind(typeof(EmployeeRow).GetProperty(name)!, value);
    }

    /// <summary>Builds the projection of the key alone.</summary>
    public Expression<Func<TEmployee, object?>> KeyOnly(KeyModel key)
    {
        var parameter = Expression.Parameter(typeof(TEmployee), "e");
        return Expression.Lambda<Func<TEmployee, object?>>(Expression.Convert(key.Access(parameter), typeof(object)), parameter);
    }

    /// <summary>Builds the projection of the key and whether the employee belongs to <paramref name="tenantId"/>.</summary>
    public Expression<Func<TEmployee, EmployeeRow>> KeyWithTenantTest(KeyModel key, string tenantId)
    {
        var parameter = Expression.Parameter(typeof(TEmployee), "e");
        var ofTenant = OfTenant(tenantId);
        return Expression.Lambda<Func<TEmployee, EmployeeRow>>(
            Expression.MemberInit(
                Expression.New(typeof(EmployeeRow)),
                Expression.Bind(typeof(EmployeeRow).GetProperty(nameof(EmployeeRow.Key))!, Expression.Convert(key.Access(parameter), typeof(object))),
                Expression.Bind(typeof(EmployeeRow).GetProperty(nameof(EmployeeRow.InTenant))!, Expressions.Replace(ofTenant, parameter))),
            parameter);
    }

    public StoredEmployee ToStored(EmployeeRow row, KeyModel key)
    {
        IReadOnlyDictionary<string, string?> fields;
        if (row.SyncedFields is not null || row.MappedFields is null)
        {
            // Parsed on first use: the engine reads the fields only of employees whose hash differs.
            fields = new LazyFields(row.SyncedFields);
        }
        else
        {
            var mapped = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < MappedFieldNames.Length; i++)
            {
                mapped[MappedFieldNames[i]] = row.MappedFields[i];
            }

            fields = mapped;
        }

        return new StoredEmployee
        {
            Key = key.Format(row.Key),
            DirectoryId = row.DirectoryId,
            Email = row.Email,
            ContentHash = row.ContentHash,
            Fields = fields,
            Assignment = EmployeeJson.ReadAssignment(row.Assignment),
            PhotoETag = row.PhotoETag,
            DeactivatedAt = row.DeactivatedAt,
        };
    }

    public TEmployee Create(string tenantId)
    {
        var employee = _mapping.NewEmployee?.Invoke(tenantId) ?? Activator.CreateInstance<TEmployee>();
        _setTenant?.Invoke(employee, tenantId);
        return employee;
    }

    public string? GetDirectoryId(TEmployee employee) => _getDirectoryId(employee);

    /// <summary>Writes what sync manages, and nothing else, to a tracked employee.</summary>
    public void Write(TEmployee employee, EmployeeChange change)
    {
        var record = change.Record!;
        _setDirectoryId(employee, change.DirectoryId);
        _setEmail(employee, record.Email);
        _setNormalizedEmail?.Invoke(employee, EmployeeEmail.Normalize(record.Email));
        _setContentHash(employee, change.ContentHash);
        _setDeactivatedAt(employee, null);
        _setSyncedFields?.Invoke(employee, EmployeeJson.WriteFields(record.Fields));
        foreach (var (field, set) in _setFields)
        {
            // A field the record does not carry is left as it is (the host may own the column's other uses).
            if (record.Fields.TryGetValue(field, out var value))
            {
                set(employee, value);
            }
        }

        _setAssignment?.Invoke(employee, EmployeeJson.WriteAssignment(record.Assignment));
        _setPhotoETag?.Invoke(employee, record.PhotoETag);
        if (_setPhoto is not null && change.Photo?.Content is { } photo)
        {
            _setPhoto(employee, photo.ToArray());
        }
        else if (_setPhoto is not null && record.PhotoETag is null)
        {
            _setPhoto(employee, null);
        }
    }

    private static Action<TEmployee, TValue> Setter<TValue>(Expression<Func<TEmployee, TValue>> selector)
    {
        var property = Expressions.Property(selector)!;
        var target = Expression.Parameter(typeof(TEmployee), "e");
        var value = Expression.Parameter(typeof(TValue), "v");
        Expression assigned = property.PropertyType == typeof(TValue) ? value : Expression.Convert(value, property.PropertyType);
        return Expression.Lambda<Action<TEmployee, TValue>>(Expression.Assign(Expression.Property(target, property), assigned), target, value).Compile();
    }

    /// <summary>The entity's primary key: one property of any type EF maps, passed to sync as text.</summary>
    internal abstract class KeyModel
    {
        public abstract string Name { get; }

        public static KeyModel Create(IModel model, EmployeeEntityMapping<TEmployee> mapping)
        {
            var entity = model.FindEntityType(typeof(TEmployee))
                ?? throw new InvalidOperationException($"{typeof(TEmployee).Name} is not part of the DbContext's model: add it in OnModelCreating (for the ready-made entity, modelBuilder.AddSyncedEmployees()).");
            var key = entity.FindPrimaryKey();
            if (key is null || key.Properties.Count != 1)
            {
                throw new InvalidOperationException($"{typeof(TEmployee).Name} needs a primary key of exactly one property for the EF Core employee store (it passes the key to sync as text).");
            }

            var tenant = Expressions.Property(mapping.TenantId!)?.Name;
            var directory = Expressions.Property(mapping.DirectoryId!)!.Name;
            var unique = entity.GetIndexes().Any(i => i.IsUnique
                && i.Properties.Count == (tenant is null ? 1 : 2)
                && i.Properties.Any(p => p.Name == directory)
                && (tenant is null || i.Properties.Any(p => p.Name == tenant)));
            if (!unique)
            {
                throw new InvalidOperationException(
                    $"{typeof(TEmployee).Name} needs a unique index on (tenant, directory id) so a directory user is never linked twice: " +
                    $"add modelBuilder.Entity<{typeof(TEmployee).Name}>().HasIndex(e => new {{ e.{tenant ?? "TenantId"}, e.{directory} }}).IsUnique() and a migration.");
            }

            var property = key.Properties[0];
            var type = typeof(KeyModel<>).MakeGenericType(typeof(TEmployee), property.ClrType);
            return (KeyModel)Activator.CreateInstance(type, property.Name)!;
        }

        public abstract Expression Access(ParameterExpression employee);

        public abstract Expression<Func<TEmployee, bool>> In(IEnumerable<string> keys);

        public string Format(object? key) => key switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString() ?? "",
        };
    }

    internal sealed class KeyModel<TKey>(string name) : KeyModel
    {
        private static readonly MethodInfo PropertyMethod = typeof(EF).GetMethod(nameof(EF.Property))!.MakeGenericMethod(typeof(TKey));
        private static readonly TypeConverter Converter = TypeDescriptor.GetConverter(typeof(TKey));

        public override string Name => name;

        public override Expression Access(ParameterExpression employee) => Expression.Call(PropertyMethod, employee, Expression.Constant(name));

        public override Expression<Func<TEmployee, bool>> In(IEnumerable<string> keys)
        {
            var values = new List<TKey>();
            foreach (var key in keys)
            {
                if (TryParse(key, out var value))
                {
                    values.Add(value);
                }
            }

            var keyName = name;
            return e => values.Contains(EF.Property<TKey>(e, keyName));
        }

        private static bool TryParse(string text, out TKey value)
        {
            try
            {
                if (Converter.ConvertFromInvariantString(text) is TKey parsed)
                {
                    value = parsed;
                    return true;
                }
            }
            catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
            {
                // Not a key of this entity (for example a key from another store): nothing matches it.
            }

            value = default!;
            return false;
        }
    }
}
