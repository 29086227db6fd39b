namespace EntraSync.Testing.Emulator.Internal;

internal static class JpegInfo
{
    /// <summary>Reads width and height from the first SOF marker of a JPEG, or null if it is not one.</summary>
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return null;
        }

        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return null;
            }

            var marker = data[i + 1];
            var length = (data[i + 2] << 8) | data[i + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (i + 9 > data.Length)
                {
                    return null;
                }

                var height = (data[i + 5] << 8) | data[i + 6];
                var width = (data[i + 7] << 8) | data[i + 8];
                return (width, height);
            }

            if (marker == 0xDA)
            {
                return null;
            }

            i += 2 + length;
        }

        return null;
    }
}
