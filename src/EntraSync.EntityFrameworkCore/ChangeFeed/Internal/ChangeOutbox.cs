using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
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
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// The outbox is read only by <see cref="Read"/>, never put in a page: characters are escaped only where JSON
    /// requires it, so names like Åse stay two bytes, not a six-byte escape.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Field names repeat in every event: encoded once. Bounded, since names come from the host's mapping.</summary>
    private static readonly ConcurrentDictionary<string, JsonEncodedText> FieldNames = new(StringComparer.Ordinal);
    private const int MaxCachedFieldNames = 1_024;

    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText DirectoryIdName = JsonEncodedText.Encode("directoryId");
    private static readonly JsonEncodedText EmployeeKeyName = JsonEncodedText.Encode("employeeKey");
    private static readonly JsonEncodedText EmailName = JsonEncodedText.Encode("email");
    private static readonly JsonEncodedText FieldsName = JsonEncodedText.Encode("fields");
    private static readonly JsonEncodedText ChangedFieldsName = JsonEncodedText.Encode("changedFields");
    private static readonly JsonEncodedText FieldName = JsonEncodedText.Encode("field");
    private static readonly JsonEncodedText OldValueName = JsonEncodedText.Encode("oldValue");
    private static readonly JsonEncodedText NewValueName = JsonEncodedText.Encode("newValue");
    private static readonly JsonEncodedText OccurredAtName = JsonEncodedText.Encode("occurredAt");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText[] KindNames = [.. Enum.GetNames<EmployeeChangeKind>().Select(n => JsonEncodedText.Encode(n))]; // by value: the kinds are 0, 1, 2, ...

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
        var occurredAt = applied[0].Change.Timestamp;
        foreach (var (change, _) in applied)
        {
            occurredAt = change.Timestamp > occurredAt ? change.Timestamp : occurredAt;
        }

        await OutboxSql.For(db).WriteAsync(db, tenantId, applied.Count, occurredAt.ToUniversalTime(), WriteEvents(applied), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the events' own parts as a JSON array (see the remarks on <see cref="ChangeOutbox"/>), straight from
    /// the changes with no <see cref="EmployeeChangeEvent"/> per change.
    /// </summary>
    internal static string WriteEvents(IReadOnlyList<(EmployeeChange Change, string? Key)> applied)
    {
        // One buffer per thread, reused: a new one per batch grew by copying (a third more allocation than the JSON).
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256 * 1024);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartArray();
            DateTimeOffset? previousAt = null;
            foreach (var (change, key) in applied)
            {
                json.WriteStartObject();
                json.WriteString(KindName, KindNames[(int)change.Kind]);
                json.WriteString(DirectoryIdName, change.DirectoryId);
                if ((key ?? change.Key) is { } employeeKey)
                {
                    json.WriteString(EmployeeKeyName, employeeKey);
                }

                if (change.Record?.Email is { } email)
                {
                    json.WriteString(EmailName, email);
                }

                if (change.Kind == EmployeeChangeKind.Create)
                {
                    json.WriteStartObject(FieldsName);
                    if (change.Record is { } record)
                    {
                        foreach (var (field, value) in record.Fields)
                        {
                            if (value is not null)
                            {
                                json.WriteString(Encoded(field), value);
                            }
                        }
                    }

                    json.WriteEndObject();
                }
                else if (change.ChangedFields.Count > 0)
                {
                    json.WriteStartArray(ChangedFieldsName);
                    foreach (var field in change.ChangedFields)
                    {
                        json.WriteStartObject();
                        json.WriteString(FieldName, Encoded(field.Field));
                        if (field.OldValue is { } oldValue)
                        {
                            json.WriteString(OldValueName, oldValue);
                        }

                        if (field.NewValue is { } newValue)
                        {
                            json.WriteString(NewValueName, newValue);
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                // Offsets included: the same instant with another offset is written again, so it reads back as it was.
                if (previousAt is not { } previous || previous != change.Timestamp || previous.Offset != change.Timestamp.Offset)
                {
                    json.WriteString(OccurredAtName, change.Timestamp);
                    previousAt = change.Timestamp;
                }

                if (change.Reason is { } reason)
                {
                    json.WriteString(ReasonName, reason);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonEncodedText Encoded(string field)
    {
        if (FieldNames.TryGetValue(field, out var encoded))
        {
            return encoded;
        }

        encoded = JsonEncodedText.Encode(field, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        if (FieldNames.Count < MaxCachedFieldNames)
        {
            FieldNames.TryAdd(field, encoded);
        }

        return encoded;
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
