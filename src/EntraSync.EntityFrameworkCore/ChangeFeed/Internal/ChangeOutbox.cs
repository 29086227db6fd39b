using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EntraSync.EntityFrameworkCore.State.Internal;
using Microsoft.EntityFrameworkCore;

namespace EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

/// <summary>
/// Writes a batch's events to the outbox inside the batch's own transaction, numbered after the tenant's last
/// sequence: they commit with the changes or not at all, so a crash after the commit loses no event. A row holds a run
/// of the batch's events (one JSON document of at most about <see cref="RowChars"/> characters), and all the batch's
/// rows are written with the tenant's position by one command (<see cref="OutboxSql"/>): the outbox adds one command
/// to a batch, not an INSERT per event (which doubled a full sync's statements on SQLite) nor a read of the position
/// and the run id before its writes (which cost a sixth of a 100k full sync).
/// </summary>
/// <remarks>
/// <para>
/// The row's columns say what its events share (tenant, first and last sequence, run id), so each event in
/// <see cref="ChangeEventBatchEntry.Events"/> holds only its own part, as a JSON array by position:
/// <c>[kind, directoryId, employeeKey, email, fields, occurredAt, reason]</c>, trailing nulls left out. A created
/// employee's fields are their values in the order of the row's <c>fields</c> names, which are written once per row
/// (<c>{"events":[["Create","d-1","17","ada@contoso.com",["Ada","Lovelace"]]],"fields":["First Name","Last Name"]}</c>);
/// other changes list <c>[field, oldValue, newValue]</c>. <c>occurredAt</c> is null when it is the previous event's.
/// </para>
/// <para>
/// Both choices are measured (docs/benchmarks.md, "Change feed"). The shape keeps a created employee of a typical
/// mapping to about 220 bytes, against 354 for event objects naming every property and field. Rows stay under .NET's
/// large object threshold (85,000 bytes: the text as a string, and SQLite's UTF-8 copy of it), because a batch's text
/// as one string of 400-700 KB went to the large object heap every batch: fresh memory the OS maps page by page
/// (16,000 more page faults in a 100k full sync, with no more full collections), which was half of what the feed cost. <see cref="Read"/> rebuilds the
/// <see cref="EmployeeChangeEvent"/>s exactly as <see cref="EmployeeChangeEvent.FromChange"/> makes them, and also reads
/// rows written in the earlier shapes (a JSON array of event objects).
/// </para>
/// </remarks>
internal static class ChangeOutbox
{
    /// <summary>
    /// How long a row's text may grow before the next event starts a new row: 36,000 characters, so that the string
    /// (two bytes a character) and SQLite's UTF-8 copy of it stay under 85,000 bytes with room for the event that
    /// crosses the line and the row's field names.
    /// </summary>
    internal const int RowChars = 36_000;

    [ThreadStatic]
    private static StringBuilder? t_text;

    [ThreadStatic]
    private static Dictionary<string, int>? t_names;

    [ThreadStatic]
    private static List<string?>? t_values;

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
        await OutboxSql.For(db).WriteAsync(db, tenantId, applied.Count, WriteEvents(applied), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the events' own parts (see the remarks on <see cref="ChangeOutbox"/>) straight from the changes, with no
    /// <see cref="EmployeeChangeEvent"/> per change, as the texts of the batch's rows, in order. Written as text
    /// directly, not through <c>Utf8JsonWriter</c>, whose UTF-8 then had to become a string again: 1.3 ms for a batch
    /// of 1,000 created employees (<see cref="OutboxJson"/> escapes what JSON requires).
    /// </summary>
    /// <param name="applied">The batch's applied changes with each employee's key.</param>
    /// <param name="rowChars">How long a row's text may grow before the next event starts a new row (tests make it small).</param>
    internal static List<OutboxRow> WriteEvents(IReadOnlyList<(EmployeeChange Change, string? Key)> applied, int rowChars = RowChars)
    {
        // One buffer and one field table per thread, reused: new ones per batch grow by copying.
        var json = new OutboxJson(t_text ??= new StringBuilder(2 * RowChars));
        var names = t_names ??= new Dictionary<string, int>(StringComparer.Ordinal);
        var values = t_values ??= [];
        var rows = new List<OutboxRow>(1);
        for (var start = 0; start < applied.Count;)
        {
            json.Text.Clear().Append("{\"events\":[");
            names.Clear();
            DateTimeOffset? previousAt = null;
            var occurredAt = DateTimeOffset.MinValue;
            var end = start;
            do
            {
                var (change, key) = applied[end];
                WriteEvent(json, change, key, first: end == start, ref previousAt, names, values);
                occurredAt = change.Timestamp > occurredAt ? change.Timestamp : occurredAt;
                end++;
            }
            while (end < applied.Count && json.Text.Length < rowChars);

            json.Text.Append(']');
            if (names.Count > 0)
            {
                json.Text.Append(",\"fields\":[");
                var n = 0;
                foreach (var name in names.Keys)
                {
                    json.Text.Append(n++ == 0 ? "" : ",");
                    json.String(name);
                }

                json.Text.Append(']');
            }

            rows.Add(new OutboxRow(start, end - start, occurredAt.ToUniversalTime(), json.Text.Append('}').ToString()));
            start = end;
        }

        return rows;
    }

    private static void WriteEvent(OutboxJson json, EmployeeChange change, string? key, bool first, ref DateTimeOffset? previousAt, Dictionary<string, int> names, List<string?> values)
    {
        json.Text.Append(first ? "[\"" : ",[\"").Append(KindNames[(int)change.Kind]).Append('"');
        json.Item(change.DirectoryId);
        json.Item(key ?? change.Key);
        json.Item(change.Record?.Email);

        // Offsets included: the same instant with another offset is written again, so it reads back as it was.
        var at = previousAt is not { } previous || previous != change.Timestamp || previous.Offset != change.Timestamp.Offset
            ? change.Timestamp.ToString("O", CultureInfo.InvariantCulture)
            : null;
        previousAt = change.Timestamp;

        // Trailing nulls are left out: a reader takes a missing item as null.
        if (change.Kind == EmployeeChangeKind.Create)
        {
            WriteCreated(json, change.Record?.Fields ?? NoFields, names, values);
        }
        else if (change.ChangedFields.Count > 0)
        {
            json.Text.Append(",[");
            for (var f = 0; f < change.ChangedFields.Count; f++)
            {
                var field = change.ChangedFields[f];
                json.Text.Append(f == 0 ? "[" : ",[");
                json.String(field.Field);
                json.Item(field.OldValue);
                json.Item(field.NewValue);
                json.Text.Append(']');
            }

            json.Text.Append(']');
        }
        else if (at is not null || change.Reason is not null)
        {
            json.Text.Append(",null");
        }

        if (at is not null || change.Reason is not null)
        {
            json.Item(at);
        }

        if (change.Reason is not null)
        {
            json.Item(change.Reason);
        }

        json.Text.Append(']');
    }

    /// <summary>
    /// Writes a created employee's fields: their values in the order of the row's field names, or, when this
    /// employee's fields come in another order than names the row has seen, as an object of names and values, so they
    /// read back in the order they were mapped.
    /// </summary>
    private static void WriteCreated(OutboxJson json, IReadOnlyDictionary<string, string?> fields, Dictionary<string, int> names, List<string?> values)
    {
        values.Clear();
        var last = -1;
        var ordered = true;
        foreach (var (field, value) in fields)
        {
            if (value is null)
            {
                continue;
            }

            if (!names.TryGetValue(field, out var index))
            {
                names[field] = index = names.Count;
            }

            ordered &= index > last;
            last = index;
            while (values.Count <= index)
            {
                values.Add(null);
            }

            values[index] = value;
        }

        if (ordered)
        {
            json.Text.Append(",[");
            for (var v = 0; v < values.Count; v++)
            {
                json.Text.Append(v == 0 ? "" : ",");
                json.Value(values[v]);
            }

            json.Text.Append(']');
            return;
        }

        json.Text.Append(",{");
        var first = true;
        foreach (var (field, value) in fields)
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

    /// <summary>
    /// JSON text into a <see cref="StringBuilder"/>: strings are copied as they are except what JSON requires escaped
    /// (quote, backslash, control characters); a lone surrogate, which no valid text holds, becomes U+FFFD, as it
    /// would when the text is stored as UTF-8.
    /// </summary>
    private readonly record struct OutboxJson(StringBuilder Text)
    {
        private static readonly SearchValues<char> Special = SearchValues.Create(
            [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '"', '\\', .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

        /// <summary>Writes <c>,"value"</c>, or <c>,null</c>.</summary>
        public void Item(string? value)
        {
            Text.Append(',');
            Value(value);
        }

        /// <summary>Writes <c>"value"</c>, or <c>null</c>.</summary>
        public void Value(string? value)
        {
            if (value is null)
            {
                Text.Append("null");
            }
            else
            {
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
        List<StoredEvent> stored;
        try
        {
            // Rows of the earlier shapes are a JSON array of event objects; rows of this one an object (see the remarks).
            stored = row.Events.AsSpan().TrimStart().StartsWith("[", StringComparison.Ordinal)
                ? JsonSerializer.Deserialize<List<StoredEvent>>(row.Events, StateJson.Options) ?? []
                : ReadRow(row.Events);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new InvalidOperationException(
                $"The outbox row of tenant {row.TenantId} from sequence {row.FirstSequence} to {row.LastSequence} is not in the shape EntraSync writes; it was changed outside EntraSync.", ex);
        }

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

    /// <summary>Reads a row written by <see cref="WriteEvents"/>: each event an array (see the remarks on <see cref="ChangeOutbox"/>).</summary>
    private static List<StoredEvent> ReadRow(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        string[] names = root.TryGetProperty("fields", out var header) ? [.. header.EnumerateArray().Select(n => n.GetString()!)] : [];
        var events = root.GetProperty("events");
        var stored = new List<StoredEvent>(events.GetArrayLength());
        var items = new JsonElement[7];
        foreach (var e in events.EnumerateArray())
        {
            Array.Clear(items);
            var count = 0;
            foreach (var item in e.EnumerateArray())
            {
                items[count++] = item; // an eighth item throws IndexOutOfRangeException: not this shape
            }

            string? Text(int i) => i < count && items[i].ValueKind != JsonValueKind.Null ? items[i].GetString() : null;
            var kind = Enum.Parse<EmployeeChangeKind>(Text(0) ?? "", ignoreCase: false);
            var changes = new List<FieldChange>();
            var payload = count > 4 ? items[4] : default;
            if (payload.ValueKind == JsonValueKind.Array && kind == EmployeeChangeKind.Create)
            {
                var index = 0;
                foreach (var value in payload.EnumerateArray())
                {
                    if (value.GetString() is { } newValue)
                    {
                        changes.Add(new FieldChange { Field = names[index], NewValue = newValue });
                    }

                    index++;
                }
            }
            else if (payload.ValueKind == JsonValueKind.Object)
            {
                changes.AddRange(payload.EnumerateObject().Select(p => new FieldChange { Field = p.Name, NewValue = p.Value.GetString() }));
            }
            else if (payload.ValueKind == JsonValueKind.Array)
            {
                foreach (var change in payload.EnumerateArray())
                {
                    changes.Add(new FieldChange { Field = change[0].GetString()!, OldValue = change[1].GetString(), NewValue = change[2].GetString() });
                }
            }

            stored.Add(new StoredEvent
            {
                Kind = kind,
                DirectoryId = Text(1) ?? "",
                EmployeeKey = Text(2),
                Email = Text(3),
                ChangedFields = changes,
                OccurredAt = count > 5 && items[5].ValueKind != JsonValueKind.Null ? items[5].GetDateTimeOffset() : null,
                Reason = Text(6),
            });
        }

        return stored;
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

/// <summary>One outbox row of a batch: its events' place in the batch, the latest time among them, and its text.</summary>
/// <param name="Before">How many of the batch's events come before the row's first.</param>
/// <param name="Count">How many events the row holds.</param>
/// <param name="OccurredAt">The latest time of the row's events, in UTC.</param>
/// <param name="Events">The row's JSON text.</param>
internal readonly record struct OutboxRow(int Before, int Count, DateTimeOffset OccurredAt, string Events);
