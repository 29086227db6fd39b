using System.Buffers.Text;

namespace EntraSync.Testing.Emulator.Internal;

/// <summary>
/// The state behind an opaque users/delta <c>$skiptoken</c> or <c>$deltatoken</c>: the round (changes after
/// <see cref="Since"/> up to <see cref="UpTo"/>), the cursor, and the <c>$select</c> of the initial request.
/// </summary>
internal sealed class DeltaToken
{
    private const byte FormatVersion = 1;

    public required string TenantId { get; init; }

    /// <summary>Changes after this version belong to the round (0 = initial round: every live user).</summary>
    public required long Since { get; init; }

    /// <summary>The tenant version when the round started; the next round starts after it.</summary>
    public required long UpTo { get; init; }

    /// <summary>The previous round's <see cref="Since"/>; used to replay duplicates.</summary>
    public long PreviousSince { get; init; }

    /// <summary>Next user slot to scan (skip tokens only).</summary>
    public int Position { get; init; }

    /// <summary>Tenant delta generation; a reset or expiry bumps it.</summary>
    public required long Generation { get; init; }

    /// <summary>When the round or link was issued (emulator clock, UTC ticks).</summary>
    public required long IssuedAtTicks { get; init; }

    /// <summary>The <c>$select</c> of the initial request, as sent (empty = default properties).</summary>
    public string Select { get; init; } = string.Empty;

    /// <summary>Whether this page repeats the previous page's last item (duplicate replay).</summary>
    public bool ReplayLast { get; init; }

    public string Encode()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(TenantId);
            writer.Write(Since);
            writer.Write(UpTo);
            writer.Write(PreviousSince);
            writer.Write(Position);
            writer.Write(Generation);
            writer.Write(IssuedAtTicks);
            writer.Write(Select);
            writer.Write(ReplayLast);
        }

        return Base64Url.EncodeToString(stream.ToArray());
    }

    public static DeltaToken? TryDecode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(token);
            using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                return null;
            }

            return new DeltaToken
            {
                TenantId = reader.ReadString(),
                Since = reader.ReadInt64(),
                UpTo = reader.ReadInt64(),
                PreviousSince = reader.ReadInt64(),
                Position = reader.ReadInt32(),
                Generation = reader.ReadInt64(),
                IssuedAtTicks = reader.ReadInt64(),
                Select = reader.ReadString(),
                ReplayLast = reader.ReadBoolean(),
            };
        }
        catch (Exception ex) when (ex is FormatException or EndOfStreamException or IOException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>The cursor behind a list <c>$skiptoken</c>: the next slot and the tenant it belongs to.</summary>
internal static class SkipToken
{
    public static string Encode(string tenantId, int position) =>
        Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes("RFNwdA|" + tenantId + "|" + position.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static int? TryDecode(string tenantId, string token)
    {
        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
            return parts.Length == 3 && parts[0] == "RFNwdA" && parts[1] == tenantId && int.TryParse(parts[2], out var p) && p >= 0 ? p : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
