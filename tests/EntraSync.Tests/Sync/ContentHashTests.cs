using System.Security.Cryptography;
using System.Text;
using EntraSync.Sync.Evaluation;

namespace EntraSync.Tests.Sync;

/// <summary>
/// Hosts store the content hash with every employee; if its value changed between versions, the first run after an
/// upgrade would rewrite every employee. These tests pin it to the documented text and to a value computed before
/// the hash was rewritten to encode into a stack buffer.
/// </summary>
public sealed class ContentHashTests
{
    [Fact]
    public void The_hash_of_a_typical_record_is_the_one_earlier_versions_stored()
    {
        var record = Record("ada.lovelace@contoso.com", ("First Name", "Ada"), ("Last Name", "Lovelace"), ("Mobile", null));

        Assert.Equal("aLd96UTm77ShGU5RLiMXXw", ContentHash.Compute(record));
    }

    public static TheoryData<string> Records() => ["typical", "empty", "non-ascii", "larger than the stack buffer", "dictionary"];

    [Theory]
    [MemberData(nameof(Records))]
    public void The_hash_is_sha256_of_the_documented_text(string which)
    {
        var record = which switch
        {
            "typical" => Record("ada@contoso.com", ("First Name", "Ada"), ("Mobile", null)),
            "empty" => new EmployeeRecord(),
            "non-ascii" => Record("zoë.ångström@contoso.com", ("First Name", "Zoë 😀"), ("Title", "Økonomichef")),
            "larger than the stack buffer" => Record("big@contoso.com", ("Notes", new string('é', 3000)), ("Other", new string('x', 700))),
            _ => new EmployeeRecord
            {
                Email = "plain@contoso.com",
                Fields = new Dictionary<string, string?> { ["A"] = "1" },
                Assignment = new EmployeeAssignment { Unit = "Sales", UserTypes = ["Employee", "Manager"] },
                PhotoETag = "W/\"etag\"",
            },
        };

        Assert.Equal(Reference(record), ContentHash.Compute(record));
    }

    [Fact]
    public void The_mappers_own_fields_hash_as_the_same_fields_in_any_dictionary()
    {
        var user = new DirectoryUser
        {
            Id = "u1",
            Properties = new Dictionary<string, DirectoryValue>(StringComparer.OrdinalIgnoreCase)
            {
                ["givenName"] = DirectoryValue.FromString("Zoë"),
                ["surname"] = DirectoryValue.FromString("Ångström"),
                ["jobTitle"] = DirectoryValue.FromString("Chef"),
            },
        };
        var context = new SyncContext { TenantId = "contoso", RunId = "r", Profile = new SyncProfile { TenantId = "contoso" } };
        var mapped = new EntraSync.Mapping.FieldMapper().Map(user, "zoe@contoso.com", context);
        var copy = new Dictionary<string, string?>(mapped, StringComparer.Ordinal);

        var fromMapper = new EmployeeRecord { Email = "zoe@contoso.com", Fields = mapped };
        var fromCopy = new EmployeeRecord { Email = "zoe@contoso.com", Fields = copy };

        Assert.Equal(Reference(fromCopy), ContentHash.Compute(fromMapper));
        Assert.Equal(ContentHash.Compute(fromCopy), ContentHash.Compute(fromMapper));
    }

    [Fact]
    public void Every_part_of_the_record_changes_the_hash()
    {
        var baseline = new EmployeeRecord
        {
            Email = "a@contoso.com",
            Fields = Fields(("Title", "Chef")),
            Assignment = new EmployeeAssignment { Unit = "Oslo", UserTypes = ["Employee"] },
            PhotoETag = "1",
        };
        string[] hashes =
        [
            ContentHash.Compute(baseline),
            ContentHash.Compute(new EmployeeRecord { Email = "b@contoso.com", Fields = baseline.Fields, Assignment = baseline.Assignment, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = Fields(("Title", "Cook")), Assignment = baseline.Assignment, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = Fields(("Title", null)), Assignment = baseline.Assignment, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = Fields(("Title", "")), Assignment = baseline.Assignment, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = baseline.Fields, Assignment = new EmployeeAssignment { Unit = "Bergen", UserTypes = ["Employee"] }, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = baseline.Fields, Assignment = new EmployeeAssignment { Unit = "Oslo", UserTypes = ["Manager"] }, PhotoETag = "1" }),
            ContentHash.Compute(new EmployeeRecord { Email = baseline.Email, Fields = baseline.Fields, Assignment = baseline.Assignment, PhotoETag = "2" }),
        ];

        Assert.Equal(hashes.Length, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    private static EmployeeRecord Record(string email, params (string Name, string? Value)[] fields) =>
        new() { Email = email, Fields = Fields(fields) };

    private static OrderedDictionary<string, string?> Fields(params (string Name, string? Value)[] fields)
    {
        var map = new OrderedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            map[name] = value;
        }

        return map;
    }

    /// <summary>The hash as first written: the text in a string, then SHA-256, 16 bytes, base64url.</summary>
    private static string Reference(EmployeeRecord record)
    {
        var text = new StringBuilder();
        text.Append(record.Email).Append('\u001F');
        foreach (var (name, value) in record.Fields)
        {
            text.Append(name).Append('=').Append(value ?? "\u0000").Append('\u001F');
        }

        text.Append(record.Assignment.Unit ?? "\u0000").Append('\u001F');
        foreach (var userType in record.Assignment.UserTypes)
        {
            text.Append(userType).Append(',');
        }

        text.Append('\u001F').Append(record.PhotoETag);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
