using System.Globalization;
using System.Text;

namespace EntraSync.Testing.Emulator;

/// <summary>
/// Makes realistic, deterministic tenants: the same seed and count always give the same users, ids, groups and
/// photos. Mixes members with guests (<c>#EXT#</c> UPNs), disabled accounts, rooms and shared mailboxes (no given
/// name or surname), users without <c>mail</c> but with <c>proxyAddresses</c> or only <c>otherMails</c>, non-ASCII
/// names, comma-separated job titles, licences (some none), on-premises extension attributes, a directory
/// extension (<see cref="ExtensionPropertyName"/>) and photos on some users. Values come from small sets so
/// matching by department, city or country finds groups of users.
/// </summary>
public sealed class TenantGenerator
{
    /// <summary>The directory extension some generated users carry (an employee number).</summary>
    public const string ExtensionPropertyName = "extension_b7d8e5fa0fe34e4db2c5d1a6f1e2c3d4_employeeNumber";

    private const string PhotoBase64 = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCABAAEADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAMF/8QAFRABAQAAAAAAAAAAAAAAAAAAABL/xAAYAQEBAAMAAAAAAAAAAAAAAAAAAgEEBf/EABURAQEAAAAAAAAAAAAAAAAAAAAR/9oADAMBAAIRAxEAPwDKgheCHSaaEELwQCEELwQCEELwQC8ELwQmiEELwQUQgheCCiEELwQUXgheCEsoQQvBAIQQvBAIQQvBALwQvBCRCCF4IBCCF4IBCCF4IB//2Q==";

    private static readonly string[] GivenNames =
    [
        "Adele", "Alex", "Ben", "Camilla", "Diego", "Emma", "Frederik", "Grady", "Hanna", "Isaiah", "Johanna", "Lee",
        "Lidia", "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep", "Sofie", "Søren", "Ærøe", "Øystein", "Åsa",
        "Renée", "José", "Jürgen", "Zoë", "François", "Björn", "伟", "芳", "محمد", "فاطمة", "Oğuz", "Łukasz",
    ];

    private static readonly string[] Surnames =
    [
        "Vance", "Wilber", "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
        "Holloway", "Fernandez", "Gates", "Bowen", "Sicilian", "Cortez", "Müller", "Strøm", "Ærenlund", "Østergaard",
        "Dubois", "Peña", "王", "李", "الهاشمي", "Nakamura", "Kowalski", "Öztürk", "García", "O'Brien",
    ];

    private static readonly string[] Departments = ["Sales", "Marketing", "Finance", "HR", "IT", "Operations", "Support", "Legal", "R&D", "Retail"];

    private static readonly string[] JobTitles =
    [
        "Sales Manager", "Account Executive", "Marketing Specialist", "Accountant", "Controller", "HR Partner", "Developer",
        "IT Administrator", "Support Engineer", "Operations Lead", "Lawyer", "Product Manager", "Designer", "Retail Manager",
        "Consultant", "Director",
    ];

    // Comma-separated values a host can split into several user types.
    private static readonly string[] CombinedJobTitles = ["Consultant, Trainer", "Manager, Sales", "Developer, Mentor", "Nurse, Shift Lead"];

    private static readonly string[] Companies = ["Contoso Ltd", "Contoso Denmark ApS", "Fabrikam A/S", "Contoso Norge AS"];

    private static readonly (string City, string? State, string Country, string PostalCode, string Street)[] Places =
    [
        ("København", "Capital Region", "Denmark", "1050", "Kongens Nytorv 1"),
        ("Aarhus", "Central Denmark", "Denmark", "8000", "Søndergade 12"),
        ("Odense", "Southern Denmark", "Denmark", "5000", "Vestergade 3"),
        ("Oslo", null, "Norway", "0150", "Karl Johans gate 22"),
        ("London", "England", "United Kingdom", "EC1A 1BB", "1 Finsbury Square"),
        ("Redmond", "WA", "United States", "98052", "1 Microsoft Way"),
        ("München", "Bayern", "Germany", "80331", "Marienplatz 8"),
        ("Paris", "Île-de-France", "France", "75001", "12 Rue de Rivoli"),
        ("Dubai", null, "United Arab Emirates", "00000", "Sheikh Zayed Road 1"),
        ("北京", null, "China", "100000", "建国路 88号"),
    ];

    private static readonly Guid[] Skus =
    [
        new("c7df2760-2c81-4ef7-b578-5b5392b571df"), // Office 365 E5
        new("6fd2c87f-b296-42f0-b197-1e91e994b900"), // Office 365 E3
        new("f30db892-07e9-47e9-837c-80727f46fd3d"), // Power Automate free
        new("05e9a617-0261-4cee-bb44-138d3ef5d965"), // Microsoft 365 E3
    ];

    private readonly int _seed;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">The seed; the same seed gives the same tenant.</param>
    public TenantGenerator(int seed) => _seed = seed;

    /// <summary>Gets or sets the default verified domain for UPNs and mail.</summary>
    /// <value>The default is <c>contoso.com</c>.</value>
    public string Domain { get; set; } = "contoso.com";

    /// <summary>Gets or sets the initial domain guests' UPNs end with.</summary>
    /// <value>The default is <c>contoso.onmicrosoft.com</c>.</value>
    public string InitialDomain { get; set; } = "contoso.onmicrosoft.com";

    /// <summary>Gets the JPEG the generator uses for photos (64x64); each user's copy differs by an embedded comment.</summary>
    /// <returns>A copy of the bytes.</returns>
    public static byte[] SamplePhoto() => Convert.FromBase64String(PhotoBase64);

    /// <summary>Generates users lazily (1..1,000,000 or more).</summary>
    /// <param name="count">How many users.</param>
    /// <returns>The users, in a stable order.</returns>
    public IEnumerable<EmulatedUser> GenerateUsers(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(_seed);
        var created = new DateTimeOffset(2020, 1, 6, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            yield return NextUser(random, i, created.AddMinutes(i * 7));
        }
    }

    /// <summary>Adds generated users, department groups (nested under "All Staff") and photos to a tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="count">How many users.</param>
    public void Populate(EmulatedTenant tenant, int count)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Domain = tenant.Domain;
        InitialDomain = tenant.InitialDomain;
        var users = GenerateUsers(count).ToList();
        tenant.AddUsers(users);
        var random = new Random(_seed ^ 0x5eed);
        var allStaff = new EmulatedGroup { Id = NewGuid(random).ToString(), DisplayName = "All Staff", MailEnabled = true, Mail = "allstaff@" + Domain, MailNickname = "allstaff", Description = "Everyone in the organization" };
        allStaff.GroupTypes.Add("Unified");
        tenant.AddGroup(allStaff);
        var departmentGroups = new Dictionary<string, string>();
        foreach (var department in Departments)
        {
            var nickname = new string([.. department.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
            var group = new EmulatedGroup { Id = NewGuid(random).ToString(), DisplayName = department, Mail = nickname + "@" + Domain, MailEnabled = true, MailNickname = nickname };
            tenant.AddGroup(group);
            departmentGroups[department] = group.Id;
            tenant.AddMember(allStaff.Id, group.Id);
        }

        var managers = new EmulatedGroup { Id = NewGuid(random).ToString(), DisplayName = "Managers", MailNickname = "managers", SecurityEnabled = true };
        tenant.AddGroup(managers);
        var leadership = new EmulatedGroup { Id = NewGuid(random).ToString(), DisplayName = "Leadership", MailNickname = "leadership", SecurityEnabled = true };
        tenant.AddGroup(leadership);
        tenant.AddMember(leadership.Id, managers.Id);
        foreach (var byDepartment in users.Where(u => u.Department is not null && u.UserType == "Member").GroupBy(u => u.Department!))
        {
            tenant.AddMembers(departmentGroups[byDepartment.Key], byDepartment.Select(u => u.Id));
        }

        tenant.AddMembers(managers.Id, users.Where(u => u.JobTitle is { } t && (t.Contains("Manager", StringComparison.Ordinal) || t == "Director")).Select(u => u.Id));
        tenant.AddMembers(allStaff.Id, users.Where(u => u.UserType == "Guest").Take(5).Select(u => u.Id));
        var photo = SamplePhoto();
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            if (user.Mail is not null && user.UserType == "Member" && user.GivenName is not null && i % 3 == 0)
            {
                tenant.SetPhoto(user.Id, WithComment(photo, user.Id), 64, 64);
            }
        }
    }

    private static byte[] WithComment(byte[] jpeg, string comment)
    {
        // SOI, then a COM segment, then the rest: a valid JPEG whose bytes (and media ETag) differ per user.
        var text = Encoding.ASCII.GetBytes(comment);
        var result = new byte[jpeg.Length + 4 + text.Length];
        result[0] = 0xFF;
        result[1] = 0xD8;
        result[2] = 0xFF;
        result[3] = 0xFE;
        result[4] = (byte)((text.Length + 2) >> 8);
        result[5] = (byte)((text.Length + 2) & 0xFF);
        text.CopyTo(result, 6);
        jpeg.AsSpan(2).CopyTo(result.AsSpan(6 + text.Length));
        return result;
    }

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Ascii(string value)
    {
        var normalized = value.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c is 'æ' or 'Æ')
            {
                sb.Append("ae");
            }
            else if (c is 'ø' or 'Ø')
            {
                sb.Append('o');
            }
            else if (c is 'ł' or 'Ł')
            {
                sb.Append('l');
            }
            else if (c < 128 && char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    private EmulatedUser NextUser(Random random, int index, DateTimeOffset created)
    {
        var id = NewGuid(random).ToString();
        var roll = random.NextDouble();
        var n = index.ToString(CultureInfo.InvariantCulture);
        var user = new EmulatedUser { Id = id, CreatedDateTime = created, AccountEnabled = true, UserType = "Member", PreferredLanguage = "en-US" };
        if (roll < 0.01)
        {
            // Rooms and shared mailboxes: mail but no person behind them.
            var isRoom = random.Next(2) == 0;
            var name = isRoom ? $"Room {random.Next(1, 6)}.{random.Next(1, 30):00}" : Pick(random, ["Reception", "Sales", "Support", "Invoices"]) + " shared mailbox";
            var nick = (isRoom ? "room" : "shared") + n;
            user.DisplayName = name;
            user.Mail = nick + "@" + Domain;
            user.MailNickname = nick;
            user.UserPrincipalName = nick + "@" + Domain;
            user.AccountEnabled = false;
            user.PreferredLanguage = null;
            user.ProxyAddresses.Add("SMTP:" + user.Mail);
            user.OfficeLocation = isRoom ? name : null;
            return user;
        }

        var given = Pick(random, GivenNames);
        var surname = Pick(random, Surnames);
        var local = Ascii(given) + "." + Ascii(surname) + n;
        if (local.StartsWith('.'))
        {
            local = "user" + local;
        }

        local = local.Replace("..", ".", StringComparison.Ordinal).Trim('.');
        user.GivenName = given;
        user.Surname = surname;
        user.DisplayName = given + " " + surname;
        if (roll < 0.04)
        {
            // Guests: #EXT# UPN in the initial domain, external mail, Guest type, few properties.
            var external = local + "@" + Pick(random, ["gmail.com", "outlook.com", "fabrikam.com"]);
            user.UserType = "Guest";
            user.UserPrincipalName = external.Replace('@', '_') + "#EXT#@" + InitialDomain;
            user.MailNickname = external.Replace('@', '_') + "#EXT#";
            user.Mail = external;
            user.OtherMails.Add(external);
            user.ProxyAddresses.Add("SMTP:" + external);
            user.PreferredLanguage = null;
            return user;
        }

        user.UserPrincipalName = local + "@" + Domain;
        user.MailNickname = local;
        var department = Pick(random, Departments);
        var place = Places[random.Next(Places.Length)];
        user.Department = department;
        user.JobTitle = random.NextDouble() < 0.08 ? Pick(random, CombinedJobTitles) : Pick(random, JobTitles);
        user.CompanyName = Pick(random, Companies);
        user.City = place.City;
        user.State = place.State;
        user.Country = place.Country;
        user.PostalCode = place.PostalCode;
        user.StreetAddress = place.Street;
        user.OfficeLocation = place.City + " " + random.Next(1, 5).ToString(CultureInfo.InvariantCulture) + "/" + random.Next(100, 400).ToString(CultureInfo.InvariantCulture);
        user.UsageLocation = place.Country switch { "Denmark" => "DK", "Norway" => "NO", "United Kingdom" => "GB", "United States" => "US", "Germany" => "DE", "France" => "FR", "China" => "CN", _ => "AE" };
        user.EmployeeId = (10000 + index).ToString(CultureInfo.InvariantCulture);
        if (random.NextDouble() < 0.7)
        {
            user.BusinessPhones.Add("+45 " + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture) + " " + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
        }

        if (random.NextDouble() < 0.6)
        {
            user.MobilePhone = "+45 " + random.Next(20000000, 99999999).ToString(CultureInfo.InvariantCulture);
        }

        if (random.NextDouble() < 0.05)
        {
            user.FaxNumber = "+45 7070 " + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        }

        var mail = local + "@" + Domain;
        var mailRoll = random.NextDouble();
        if (mailRoll < 0.03)
        {
            // No mail, but Exchange proxy addresses: primary SMTP:, aliases smtp:, and a SharePoint SPO: entry.
            user.ProxyAddresses.Add("smtp:" + local + "@" + InitialDomain);
            user.ProxyAddresses.Add("SMTP:" + mail);
            user.ProxyAddresses.Add("SPO:SPO_" + id + "@SPO_" + id);
        }
        else if (mailRoll < 0.05)
        {
            // No mail and no mailbox: only an external address in otherMails.
            user.OtherMails.Add(local + "@private.example");
        }
        else
        {
            user.Mail = mail;
            user.ProxyAddresses.Add("SMTP:" + mail);
            user.ProxyAddresses.Add("smtp:" + local + "@" + InitialDomain);
        }

        if (random.NextDouble() < 0.02)
        {
            user.AccountEnabled = false;
        }

        var licenseRoll = random.NextDouble();
        if (user.AccountEnabled == true && licenseRoll < 0.9)
        {
            user.AssignedLicenses.Add(Skus[random.Next(2)]);
            if (licenseRoll < 0.2)
            {
                user.AssignedLicenses.Add(Skus[2]);
            }
        }

        if (random.NextDouble() < 0.3)
        {
            user.OnPremisesSyncEnabled = true;
            user.OnPremisesExtensionAttributes["extensionAttribute1"] = "CC-" + random.Next(100, 200).ToString(CultureInfo.InvariantCulture);
            user.OnPremisesExtensionAttributes["extensionAttribute2"] = random.Next(3) == 0 ? "Employee,Manager" : "Employee";
        }

        if (random.NextDouble() < 0.3)
        {
            user.AdditionalProperties[ExtensionPropertyName] = "E" + (10000 + index).ToString(CultureInfo.InvariantCulture);
        }

        return user;
    }
}
