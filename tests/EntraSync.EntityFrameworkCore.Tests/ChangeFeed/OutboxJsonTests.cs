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

            // Field names are written once per row: employees with fewer fields, a field the row has not seen yet, and
            // fields mapped in another order still read back as they were.
            (new EmployeeChange { Kind = EmployeeChangeKind.Create, DirectoryId = "d-5", Record = new EmployeeRecord { Email = "b@contoso.com", Fields = new Dictionary<string, string?> { [FieldNames.LastName] = "Byron", [FieldNames.Department] = "Maths" } }, Timestamp = at }, "21"),
            (new EmployeeChange { Kind = EmployeeChangeKind.Create, DirectoryId = "d-6", Record = new EmployeeRecord { Email = null, Fields = new Dictionary<string, string?> { [FieldNames.Department] = "Physics", [FieldNames.FirstName] = "Mary" } }, Timestamp = at.ToOffset(TimeSpan.FromHours(2)) }, "22"),
            (new EmployeeChange { Kind = EmployeeChangeKind.Create, DirectoryId = "d-7", Record = new EmployeeRecord { Email = "c@contoso.com", Fields = new Dictionary<string, string?>() }, Timestamp = at }, null),
            (new EmployeeChange { Kind = EmployeeChangeKind.Reactivate, DirectoryId = "d-8", Key = "23", Timestamp = at, Reason = "back in the directory" }, null),
        ];

        var json = Assert.Single(ChangeOutbox.WriteEvents(applied)).Events;

        var read = ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 41, LastSequence = 48, RunId = "run-1", OccurredAt = at.AddHours(1), Events = json }, 0).ToList();
        var expected = applied.Select((a, i) => EmployeeChangeEvent.FromChange("acme", 41 + i, "run-1", a.Change, a.Key)).ToList();
        Assert.Contains("""["Create","d-5","21","b@contoso.com",[null,"Byron","Maths"]""", json, StringComparison.Ordinal);
        Assert.Contains(""","d-6","22",null,{"Department":"Physics","First Name":"Mary"},""", json, StringComparison.Ordinal);
        Assert.EndsWith(""","fields":["First Name","Last Name","Department"]}""", json, StringComparison.Ordinal);
        var options = new JsonSerializerOptions { WriteIndented = false };
        Assert.Equal(expected.Select(e => JsonSerializer.Serialize(e, options)), read.Select(e => JsonSerializer.Serialize(e, options)));
    }
    [Fact]
    public void A_batch_split_into_rows_reads_back_as_the_same_events_in_order()
    {
        var at = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var applied = Enumerable.Range(0, 50).Select(i => (new EmployeeChange
        {
            Kind = EmployeeChangeKind.Create,
            DirectoryId = "d-" + i,
            Record = new EmployeeRecord { Email = $"u{i}@contoso.com", Fields = new Dictionary<string, string?> { [FieldNames.FirstName] = "User", [FieldNames.LastName] = "Number " + i } },
            Timestamp = at.AddSeconds(i % 7),
        }, (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var rows = ChangeOutbox.WriteEvents(applied, rowChars: 1_000);

        Assert.True(rows.Count > 1);
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(r => rows.Take(r).Sum(x => x.Count)), rows.Select(r => r.Before));
        Assert.Equal(50, rows.Sum(r => r.Count));
        var read = rows.SelectMany(r => ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 101 + r.Before, LastSequence = 100 + r.Before + r.Count, RunId = "run", OccurredAt = r.OccurredAt, Events = r.Events }, 0)).ToList();
        var expected = applied.Select((a, i) => EmployeeChangeEvent.FromChange("acme", 101 + i, "run", a.Item1, a.Item2));
        Assert.Equal(expected.Select(e => JsonSerializer.Serialize(e)), read.Select(e => JsonSerializer.Serialize(e)));
        Assert.All(rows, r => Assert.Equal(applied.Skip(r.Before).Take(r.Count).Max(a => a.Item1.Timestamp), r.OccurredAt));
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
        var json = Assert.Single(ChangeOutbox.WriteEvents([(new EmployeeChange { Kind = EmployeeChangeKind.Purge, DirectoryId = "d-4", Key = "20", Timestamp = DateTimeOffset.UnixEpoch }, null)])).Events;

        var error = Assert.Throws<InvalidOperationException>(() => ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 1, LastSequence = 2, RunId = "r", Events = json }, 0).ToList());
        Assert.Contains("holds 1 event(s)", error.Message, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData("{\"events\":[[\"Created\",\"d-1\"]]}")]
    [InlineData("{\"events\":[[\"Create\",\"d-1\",\"1\",null,[\"Ada\"]]]}")]
    [InlineData("{\"events\":[[\"Update\",\"d-1\",\"1\",null,[[\"First Name\",1,2]]]]}")]
    [InlineData("{\"events\":[[\"Purge\",\"d-1\",\"1\",null,null,null,null,\"extra\"]]}")]
    [InlineData("{\"events\":[[\"Purge\",\"d-1\",\"1\",null,null,\"not a time\"]]}")]
    [InlineData("{\"events\":[[\"Purge\",\"d-1\"]")]
    [InlineData("{}")]
    public void A_row_not_in_the_shape_EntraSync_writes_is_refused_with_the_row_named(string events)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 5, LastSequence = 5, RunId = "r", Events = events }, 0).ToList());

        Assert.Equal("The outbox row of tenant acme from sequence 5 to 5 is not in the shape EntraSync writes; it was changed outside EntraSync.", error.Message);
    }

    [Fact]
    public void A_lone_surrogate_is_stored_as_the_replacement_character_and_the_rest_of_the_text_survives()
    {
        var change = new EmployeeChange { Kind = EmployeeChangeKind.Update, DirectoryId = "d-1", Key = "1", Timestamp = DateTimeOffset.UnixEpoch, ChangedFields = [new FieldChange { Field = FieldNames.LastName, OldValue = "a\uD800b", NewValue = "c\uDC00" }] };

        var json = Assert.Single(ChangeOutbox.WriteEvents([(change, null)])).Events;

        var field = Assert.Single(Assert.Single(ChangeOutbox.Read(new ChangeEventBatchEntry { TenantId = "acme", FirstSequence = 1, LastSequence = 1, RunId = "r", Events = json }, 0)).ChangedFields);
        Assert.Equal(("a\uFFFDb", "c\uFFFD"), (field.OldValue, field.NewValue));
    }
}
