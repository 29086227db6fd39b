using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace EntraSync.Sync.Internal;

/// <summary>A stable hash of everything sync writes for an employee, so an unchanged user costs no write.</summary>
internal static class ContentHash
{
    private const char Separator = '\u001F';

    public static string Compute(EmployeeRecord record)
    {
        var builder = new StringBuilder(256);
        builder.Append(record.Email).Append(Separator);
        foreach (var (name, value) in record.Fields)
        {
            builder.Append(name).Append('=').Append(value ?? "\u0000").Append(Separator);
        }

        builder.Append(record.Assignment.Unit ?? "\u0000").Append(Separator);
        foreach (var userType in record.Assignment.UserTypes)
        {
            builder.Append(userType).Append(',');
        }

        builder.Append(Separator).Append(record.PhotoETag);
        var text = builder.ToString();
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var bytes = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(bytes.AsSpan(0, written), hash);
            return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public static List<FieldChange> Diff(EmployeeRecord record, StoredEmployee stored)
    {
        var changes = new List<FieldChange>();
        foreach (var (name, value) in record.Fields)
        {
            stored.Fields.TryGetValue(name, out var old);
            if (!string.Equals(old, value, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange { Field = name, OldValue = old, NewValue = value });
            }
        }

        foreach (var (name, old) in stored.Fields)
        {
            if (!record.Fields.ContainsKey(name) && old is not null)
            {
                changes.Add(new FieldChange { Field = name, OldValue = old, NewValue = null });
            }
        }

        if (!string.Equals(record.Assignment.Unit, stored.Assignment.Unit, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange { Field = "Unit", OldValue = stored.Assignment.Unit, NewValue = record.Assignment.Unit });
        }

        if (!record.Assignment.UserTypes.SequenceEqual(stored.Assignment.UserTypes, StringComparer.Ordinal))
        {
            changes.Add(new FieldChange
            {
                Field = "User Types",
                OldValue = string.Join(", ", stored.Assignment.UserTypes),
                NewValue = string.Join(", ", record.Assignment.UserTypes),
            });
        }

        return changes;
    }
}
