using System.Text.Json;
using EntraSync.EntityFrameworkCore.ChangeFeed.Internal;

namespace EntraSync.EntityFrameworkCore.Tests.ChangeFeed;

#pragma warning disable EF1001 // EF Core's analyzer flags every *.EntityFrameworkCore.*.Internal namespace; this one is EntraSync's own.

/// <summary>The outbox writes its JSON by hand; it must read back as the events <see cref="EmployeeChangeEvent.FromChange"/> makes.</summary>
public sealed class OutboxJsonTests
{
    [Fact]
    public void Events_written_by_hand_read_back_as_the_events_made_from_the_changes()
    {
        var at = new DateTimeOffset(2026, 12, 7, 12, 30, 15, 123, TimeSpan.Zero);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [FieldNames.FirstName] = "Åse \"quoted\" <b> back\\slash\nline\ttab\u0001 \U0001F600", [FieldNames.LastName] = "Ørsted", [FieldNames.JobTitle] = null };
        (EmployeeChange Change, string? Key)[] applied =
        [
            (new EmployeeChange { Kind = EmployeeChangeKind.Create, DirectoryId = "d-1", Record = new EmployeeRecord { Email = "ase@contoso.com", Fields = fields }, ContentHash = "h", Timestamp = at }, "17"),
            (new EmployeeChange { Kind = EmployeeChangeKind.Update, DirectoryId = "d-2", Key = "18", Record = new EmployeeRecord { Email = null, Fields = fields }, ContentHash = "h2", Timestamp = at, ChangedFields = [new FieldChange { Field = FieldNames.JobTitle, OldValue = null, NewValue = "Partner" }, new FieldChange { Field = FieldNames.LastName, OldValue = "Lee", NewValue = null }] }, null),
            (new EmployeeChange { Kind = EmployeeChangeKind.Deactivate, DirectoryId = "d-3", Key = "19", Timestamp = at.AddHours(1), Reason = "gone from the directory" }, null),
            (new EmployeeChange { Kind = EmployeeChangeKind.Purge, DirectoryId = "d-4", Key = "20", Timestamp = at }, null),
        ];

        var json = ChangeOutbox.WriteEvents(applied);

        var read = ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 41, LastSequence = 44, RunId = "run-1", OccurredAt = at.AddHours(1), Events = json }, 0).ToList();
        var expected = applied.Select((a, i) => EmployeeChangeEvent.FromChange("acme", 41 + i, "run-1", a.Change, a.Key)).ToList();
        var options = new JsonSerializerOptions { WriteIndented = false };
        Assert.Equal(expected.Select(e => JsonSerializer.Serialize(e, options)), read.Select(e => JsonSerializer.Serialize(e, options)));
    }
    [Fact]
    public void Rows_written_in_the_earlier_shape_with_every_event_whole_still_read()
    {
        const string Json = """
            [{"tenantId":"acme","sequence":7,"runId":"run-0","kind":"Create","directoryId":"d-1","employeeKey":"17","email":"a@contoso.com","changedFields":[{"field":"First Name","newValue":"Ada"}],"occurredAt":"2026-12-01T10:00:00+00:00"},
             {"tenantId":"acme","sequence":8,"runId":"run-0","kind":"Deactivate","directoryId":"d-2","employeeKey":"18","changedFields":[],"occurredAt":"2026-12-01T10:00:01+00:00","reason":"gone"}]
            """;

        var read = ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 7, LastSequence = 8, RunId = "run-0", OccurredAt = DateTimeOffset.UnixEpoch, Events = Json }, 7).ToList();

        var deactivated = Assert.Single(read);
        Assert.Equal((8L, EmployeeChangeKind.Deactivate, "18", "gone"), (deactivated.Sequence, deactivated.Kind, deactivated.EmployeeKey, deactivated.Reason));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 1, TimeSpan.Zero), deactivated.OccurredAt);
        var created = ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 7, LastSequence = 8, RunId = "run-0", Events = Json }, 0).First();
        Assert.Equal(("First Name", (string?)null, (string?)"Ada"), (created.ChangedFields[0].Field, created.ChangedFields[0].OldValue, created.ChangedFields[0].NewValue));
    }

    [Fact]
    public void A_row_whose_events_do_not_match_its_sequence_range_is_refused_not_renumbered()
    {
        var json = ChangeOutbox.WriteEvents([(new EmployeeChange { Kind = EmployeeChangeKind.Purge, DirectoryId = "d-4", Key = "20", Timestamp = DateTimeOffset.UnixEpoch }, null)]);

        var error = Assert.Throws<InvalidOperationException>(() => ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 1, LastSequence = 2, RunId = "r", Events = json }, 0).ToList());
        Assert.Contains("holds 1 event(s)", error.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void A_lone_surrogate_is_stored_as_the_replacement_character_and_the_rest_of_the_text_survives()
    {
        var change = new EmployeeChange { Kind = EmployeeChangeKind.Update, DirectoryId = "d-1", Key = "1", Timestamp = DateTimeOffset.UnixEpoch, ChangedFields = [new FieldChange { Field = FieldNames.LastName, OldValue = "a\uD800b", NewValue = "c\uDC00" }] };

        var json = ChangeOutbox.WriteEvents([(change, null)]);

        var field = Assert.Single(Assert.Single(ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 1, LastSequence = 1, RunId = "r", Events = json }, 0)).ChangedFields);
        Assert.Equal(("a\uFFFDb", "c\uFFFD"), (field.OldValue, field.NewValue));
    }
}
