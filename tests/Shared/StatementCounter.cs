using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EntraSync.Tests.Shared;

/// <summary>
/// Records every command EF Core runs, so tests can count the statements that write a table, and can make the
/// database fail on a chosen command (a failed command is not recorded: it never ran).
/// </summary>
public class StatementCounter : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();
    private int _injected;

    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>Returns an exception to throw instead of running the command, or null to run it.</summary>
    public Func<string, Exception?>? FailWhen { get; set; }

    /// <summary>Gets how many commands <see cref="FailWhen"/> failed.</summary>
    public int Injected => Volatile.Read(ref _injected);

    public void Reset() => _commands.Clear();

    /// <summary>Counts statements of a kind (INSERT, UPDATE, DELETE) on a table, including those batched in one command.</summary>
    public int Count(string verb, string table)
    {
        var pattern = verb.ToUpperInvariant() switch
        {
            "INSERT" => $"INSERT INTO \"{table}\"",
            "DELETE" => $"DELETE FROM \"{table}\"",
            _ => $"{verb.ToUpperInvariant()} \"{table}\"",
        };
        return _commands.Sum(c => Regex.Matches(c, Regex.Escape(pattern)).Count);
    }

    public int Writes(string table) => Count("INSERT", table) + Count("UPDATE", table) + Count("DELETE", table);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return base.NonQueryExecuting(command, eventData, result);
    }

    private void Record(DbCommand command)
    {
        if (FailWhen?.Invoke(command.CommandText) is { } error)
        {
            Interlocked.Increment(ref _injected);
            throw error;
        }

        _commands.Enqueue(command.CommandText);
    }
}
