using Microsoft.Extensions.Logging;

namespace EntraSync.Cli.Output;

/// <summary>With <c>--verbose</c>: the library's logs, one line each, on the tool's standard error.</summary>
internal sealed class ErrorLoggerProvider(TextWriter writer, TimeProvider time) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var name = category[(category.LastIndexOf('.') + 1)..];
        lock (_gate)
        {
            writer.WriteLine($"{time.GetLocalNow():HH:mm:ss.fff} {Level(level)} {name}: {message}");
            if (exception is not null)
            {
                writer.WriteLine(exception.ToString());
            }
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(ErrorLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
