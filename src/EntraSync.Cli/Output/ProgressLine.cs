using EntraSync.Cli.Hosting;

namespace EntraSync.Cli.Output;

/// <summary>
/// The live progress line on a terminal: redrawn in place on standard error, so standard output keeps only the
/// summary, and nothing is drawn when standard error is redirected or <c>--json</c> is on.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();
    private readonly SyncProgress _progress;
    private readonly string _label;
    private bool _drawn;

    public ProgressLine(TextWriter writer, SyncProgress progress, string label)
    {
        _writer = writer;
        _progress = progress;
        _label = label;
        progress.Changed += Draw;
        Draw(progress);
    }

    public void Dispose()
    {
        _progress.Changed -= Draw;
        lock (_gate)
        {
            if (_drawn)
            {
                _writer.Write("\r\u001b[2K");
                _writer.Flush();
                _drawn = false;
            }
        }
    }

    private void Draw(SyncProgress progress)
    {
        var text = $"{_label}: {progress.Pages} page(s), {progress.Users} user(s) read" +
            (progress.Removed > 0 ? $", {progress.Removed} removal(s)" : "") +
            $", {progress.Written} change(s) written";
        lock (_gate)
        {
            _writer.Write("\r\u001b[2K" + text);
            _writer.Flush();
            _drawn = true;
        }
    }
}
