using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// Writes a batch's events to the outbox inside the batch's own transaction, numbered after the tenant's last
/// sequence: they commit with the changes or not at all, so a crash after the commit loses no event. One row holds the
/// whole batch (a JSON array), written with the tenant's position by one command (<see cref="OutboxSql"/>): the
/// outbox adds one statement to a batch, not an INSERT per event (which doubled a full sync's statements on SQLite)
/// nor a read of the position and the run id before its writes (which cost a sixth of a 100k full sync).
/// </summary>
/// <remarks>
/// The row's columns say what every event of the batch shares (tenant, first and last sequence, run id), so each event
/// in <see cref="ChangeEventBatchEntry.Events"/> holds only its own part: kind, directory id, key, email, its fields
/// and its time (left out when it is the previous event's). A created employee's fields are one JSON object
/// (<c>"fields":{"First Name":"Ada"}</c>); other changes list <c>changedFields</c> with old and new values.
/// <see cref="Read"/> rebuilds the <see cref="EmployeeChangeEvent"/>s exactly as
/// <see cref="EmployeeChangeEvent.FromChange"/> makes them, and also reads rows written in the earlier shape (every
/// event whole).
/// </remarks>
internal static class ChangeOutbox
{
    [ThreadStatic]
    private static StringBuilder? t_text;

    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();

    private static readonly string[] KindNames = Enum.GetNames<EmployeeChangeKind>(); // by value: the kinds are 0, 1, 2, ...

    public static void RequireModel(DbContext db)
    {
        if (db.Model.FindEntityType(typeof(ChangeEventBatchEntry)) is null)
        {
            throw new InvalidOperationException(
                $"The EF Core change feed writes its outbox to the EntraSyncChangeEventBatches table, which {db.GetType().Name} does not map. Call modelBuilder.AddEntraSyncChangeFeed() in OnModelCreating (and add a migration).");
        }
    }

    /// <summary>Writes the events in the context's current transaction (the batch's), after the batch's changes.</summary>
    public static async Task WriteAsync(DbContext db, string tenantId, IReadOnlyList<(EmployeeChange Change, string? Key)> applied, CancellationToken cancellationToken)
    {
        if (applied.Count == 0)
        {
            return;
        }

        RequireModel(db);
        var occurredAt = applied.Max(a => a.Change.Timestamp);
        await OutboxSql.For(db).WriteAsync(db, tenantId, applied.Count, occurredAt.ToUniversalTime(), WriteEvents(applied), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the events' own parts as a JSON array (see the remarks on <see cref="ChangeOutbox"/>), straight from
    /// the changes with no <see cref="EmployeeChangeEvent"/> per change, as the text the column gets. Written as text
    /// directly, not through <c>Utf8JsonWriter</c>, whose UTF-8 then had to become a string again: 1.3 ms for a batch
    /// of 1,000 created employees (<see cref="OutboxJson"/> escapes what JSON requires).
    /// </summary>
    internal static string WriteEvents(IReadOnlyList<(EmployeeChange Change, string? Key)> applied)
    {
        // One buffer per thread, reused: a new one per batch grows by copying.
        var json = new OutboxJson(t_text ??= new StringBuilder(512 * 1024));
        json.Text.Clear();
        json.Text.Append('[');
        DateTimeOffset? previousAt = null;
        for (var i = 0; i < applied.Count; i++)
        {
            var (change, key) = applied[i];
            json.Text.Append(i == 0 ? "{\"kind\":\"" : ",{\"kind\":\"").Append(KindNames[(int)change.Kind]).Append('"');
            json.Property("directoryId", change.DirectoryId);
            json.Property("employeeKey", key ?? change.Key);
            json.Property("email", change.Record?.Email);
            if (change.Kind == EmployeeChangeKind.Create)
            {
                json.Text.Append(",\"fields\":{");
                var first = true;
                foreach (var (field, value) in change.Record?.Fields ?? NoFields)
                {
                    if (value is not null)
                    {
                        json.Text.Append(first ? "" : ",");
                        json.String(field);
                        json.Text.Append(':');
                        json.String(value);
                        first = false;
                    }
                }

                json.Text.Append('}');
            }
            else if (change.ChangedFields.Count > 0)
            {
                json.Text.Append(",\"changedFields\":[");
                for (var f = 0; f < change.ChangedFields.Count; f++)
                {
                    var field = change.ChangedFields[f];
                    json.Text.Append(f == 0 ? "{\"field\":" : ",{\"field\":");
                    json.String(field.Field);
                    json.Property("oldValue", field.OldValue);
                    json.Property("newValue", field.NewValue);
                    json.Text.Append('}');
                }

                json.Text.Append(']');
            }

            // Offsets included: the same instant with another offset is written again, so it reads back as it was.
            if (previousAt is not { } previous || previous != change.Timestamp || previous.Offset != change.Timestamp.Offset)
            {
                json.Text.Append(",\"occurredAt\":\"").Append(change.Timestamp.ToString("O", CultureInfo.InvariantCulture)).Append('"');
                previousAt = change.Timestamp;
            }

            json.Property("reason", change.Reason);
            json.Text.Append('}');
        }

        return json.Text.Append(']').ToString();
    }

    /// <summary>
    /// JSON text into a <see cref="StringBuilder"/>: strings are copied as they are except what JSON requires escaped
    /// (quote, backslash, control characters); a lone surrogate, which no valid text holds, becomes U+FFFD, as it
    /// would when the text is stored as UTF-8.
    /// </summary>
    private readonly record struct OutboxJson(StringBuilder Text)
    {
        private static readonly SearchValues<char> Special = SearchValues.Create(
            [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '"', '\\', .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

        /// <summary>Writes <c>,"name":"value"</c>, or nothing when the value is <see langword="null"/>.</summary>
        public void Property(string name, string? value)
        {
            if (value is not null)
            {
                Text.Append(",\"").Append(name).Append("\":");
                String(value);
            }
        }

        public void String(string value)
        {
            Text.Append('"');
            var rest = value.AsSpan();
            while (true)
            {
                var at = rest.IndexOfAny(Special);
                if (at < 0)
                {
                    Text.Append(rest);
                    break;
                }

                Text.Append(rest[..at]);
                var c = rest[at];
                var length = 1;
                switch (c)
                {
                    case '"':
                        Text.Append("\\\"");
                        break;
                    case '\\':
                        Text.Append("\\\\");
                        break;
                    case '\n':
                        Text.Append("\\n");
                        break;
                    case '\r':
                        Text.Append("\\r");
                        break;
                    case '\t':
                        Text.Append("\\t");
                        break;
                    case < ' ':
                        Text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        break;
                    default:
                        // A surrogate: a whole pair is copied, a lone one is replaced.
                        if (char.IsHighSurrogate(c) && at + 1 < rest.Length && char.IsLowSurrogate(rest[at + 1]))
                        {
                            Text.Append(rest.Slice(at, 2));
                            length = 2;
                        }
                        else
                        {
                            Text.Append('\uFFFD');
                        }

                        break;
                }

                rest = rest[(at + length)..];
            }

            Text.Append('"');
        }
    }

    /// <summary>The events of a batch row after <paramref name="afterSequence"/>.</summary>
    public static IEnumerable<EmployeeChangeEvent> Read(ChangeEventBatchEntry row, long afterSequence)
    {
        var stored = JsonSerializer.Deserialize<List<StoredEvent>>(row.Events, StateJson.Options) ?? [];
        if (stored.Count != row.LastSequence - row.FirstSequence + 1)
        {
            throw new InvalidOperationException(
                $"The outbox row of tenant {row.TenantId} from sequence {row.FirstSequence} to {row.LastSequence} holds {stored.Count} event(s); it was changed outside EntraSync.");
        }

        var events = new List<EmployeeChangeEvent>(stored.Count);
        var occurredAt = row.OccurredAt;
        for (var i = 0; i < stored.Count; i++)
        {
            var sequence = row.FirstSequence + i;
            var e = stored[i];
            occurredAt = e.OccurredAt ?? occurredAt;
            if (sequence <= afterSequence)
            {
                continue;
            }

            events.Add(new EmployeeChangeEvent
            {
                TenantId = row.TenantId,
                Sequence = sequence,
                RunId = row.RunId,
                Kind = e.Kind,
                DirectoryId = e.DirectoryId,
                EmployeeKey = e.EmployeeKey,
                Email = e.Email,
                ChangedFields = e.Fields is { } fields
                    ? [.. fields.Where(f => f.Value is not null).Select(f => new FieldChange { Field = f.Key, NewValue = f.Value })]
                    : e.ChangedFields ?? [],
                OccurredAt = occurredAt,
                Reason = e.Reason,
            });
        }

        return events;
    }

    /// <summary>An event as the outbox row holds it. Rows of the earlier shape also carry tenantId, sequence and runId, which the row's columns give.</summary>
    private sealed class StoredEvent
    {
        public EmployeeChangeKind Kind { get; set; }

        public string DirectoryId { get; set; } = "";

        public string? EmployeeKey { get; set; }

        public string? Email { get; set; }

        public Dictionary<string, string?>? Fields { get; set; }

        public List<FieldChange>? ChangedFields { get; set; }

        public DateTimeOffset? OccurredAt { get; set; }

        public string? Reason { get; set; }
    }
}
