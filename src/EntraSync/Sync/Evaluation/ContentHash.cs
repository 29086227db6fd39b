using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using EntraSync.Mapping.Internal;

namespace EntraSync.Sync.Evaluation;

/// <summary>A stable hash of everything sync writes for an employee, so an unchanged user costs no write.</summary>
/// <remarks>
/// SHA-256 over the UTF-8 of <c>email␟name=value␟…␟unit␟type,type,␟photoETag</c> (␟ is U+001F, a missing value
/// U+0000), its first 16 bytes in base64url. The text is encoded straight into a stack buffer (a pooled one for very
/// large records), so the 22-character result is the only allocation.
/// </remarks>
internal static class ContentHash
{
    private const byte Separator = 0x1F;

    public static string Compute(EmployeeRecord record)
    {
        var writer = new Utf8Buffer(stackalloc byte[1024]);
        try
        {
            writer.Append(record.Email);
            writer.Append(Separator);
            if (record.Fields is FieldValues mapped)
            {
                foreach (var (name, value) in mapped)
                {
                    AppendField(ref writer, name, value);
                }
            }
            else
            {
                foreach (var (name, value) in record.Fields)
                {
                    AppendField(ref writer, name, value);
                }
            }

            writer.AppendOrNul(record.Assignment.Unit);
            writer.Append(Separator);
            foreach (var userType in record.Assignment.UserTypes)
            {
                writer.Append(userType);
                writer.Append((byte)',');
            }

            writer.Append(Separator);
            writer.Append(record.PhotoETag);

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(writer.Written, hash);
            return Base64Url.EncodeToString(hash[..16]);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static void AppendField(ref Utf8Buffer writer, string name, string? value)
    {
        writer.Append(name);
        writer.Append((byte)'=');
        writer.AppendOrNul(value);
        writer.Append(Separator);
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

    /// <summary>UTF-8 text built in a caller's stack buffer, moving to a pooled array when it outgrows it.</summary>
    private ref struct Utf8Buffer(Span<byte> initial)
    {
        private Span<byte> _buffer = initial;
        private byte[]? _rented;
        private int _length;

        public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

        public void Append(byte value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        public void Append(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            _length += Encoding.UTF8.GetBytes(text, _buffer[_length..]);
        }

        public void AppendOrNul(string? text)
        {
            if (text is null)
            {
                Append(0);
            }
            else
            {
                Append(text);
            }
        }

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
                _rented = null;
            }
        }

        private void Reserve(int bytes)
        {
            if (_length + bytes <= _buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
            _buffer[.._length].CopyTo(larger);
            Dispose();
            _rented = larger;
            _buffer = larger;
        }
    }
}
