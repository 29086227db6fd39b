using System.Globalization;

namespace EntraSync.Cli.Output;

/// <summary>A plain-text table: a header, aligned columns two spaces apart, cells cut to fit the terminal.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
        _rightAligned = new bool[headers.Length];
    }

    public int RowCount => _rows.Count;

    /// <summary>Right-aligns the columns at <paramref name="columns"/> (numbers).</summary>
    public TextTable AlignRight(params int[] columns)
    {
        foreach (var column in columns)
        {
            _rightAligned[column] = true;
        }

        return this;
    }

    public void Add(params object?[] cells) =>
        _rows.Add(cells.Select(c => c switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }).Select(OneLine).ToArray());

    public void Write(TextWriter writer, int? width, string indent = "  ")
    {
        var widths = new int[_headers.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = Math.Max(_headers[i].Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length));
        }

        if (width is { } available)
        {
            // Shrink the widest columns until the table fits, but never below 12 characters.
            var total = indent.Length + widths.Sum() + (2 * (widths.Length - 1));
            while (total > available)
            {
                var widest = Array.IndexOf(widths, widths.Max());
                if (widths[widest] <= 12)
                {
                    break;
                }

                widths[widest]--;
                total--;
            }
        }

        WriteRow(writer, _headers, widths, indent);
        WriteRow(writer, widths.Select(w => new string('-', w)).ToArray(), widths, indent);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths, indent);
        }
    }

    private void WriteRow(TextWriter writer, string[] cells, int[] widths, string indent)
    {
        var parts = new string[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i].Length > widths[i] ? cells[i][..(widths[i] - 1)] + "…" : cells[i];
            parts[i] = _rightAligned[i] ? cell.PadLeft(widths[i]) : i == cells.Length - 1 ? cell : cell.PadRight(widths[i]);
        }

        writer.WriteLine(indent + string.Join("  ", parts));
    }

    private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}
