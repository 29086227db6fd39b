using Microsoft.EntityFrameworkCore;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace EntraSync.Benchmarks.EndToEnd;

/// <summary>
/// What a competent team writes by hand instead of EntraSync: the Microsoft Graph SDK's typed models with
/// <see cref="PageIterator{TEntity, TCollectionPage}"/>, EF Core with one <c>SaveChanges</c> per page, and a full
/// reload on every run (no delta). It is written to be fair, not to lose: it selects only the properties it maps,
/// asks for 999 users per page, looks the page's employees up with one query, lets EF Core's change tracking skip
/// unchanged rows (so a rerun with no changes writes nothing), uses a fresh context per page (no ever-growing change
/// tracker) and deactivates leavers in batches at the end. It applies the same rules as EntraSync's defaults: email
/// from mail, else the primary SMTP proxy address, else the first other mail; email, given name and surname required.
/// </summary>
internal sealed class HandWrittenSync(GraphServiceClient graph, IDbContextFactory<BaselineContext> contexts, string tenantId, StoreCounts counts)
{
    private const int PageSize = 999;

    private static readonly string[] Select =
    [
        "id", "displayName", "givenName", "surname", "mail", "proxyAddresses", "otherMails", "businessPhones", "jobTitle",
        "department", "mobilePhone", "faxNumber", "companyName", "streetAddress", "city", "state", "postalCode", "country",
    ];

    public StoreCounts Counts { get; } = counts;

    public async Task<BaselineReport> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var report = new BaselineReport();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var page = new List<User>(PageSize);
        var first = await graph.Users.GetAsync(
            r =>
            {
                r.QueryParameters.Select = Select;
                r.QueryParameters.Top = PageSize;
            },
            cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            throw new InvalidOperationException("Graph returned no user page.");
        }

        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(graph, first, async user =>
        {
            page.Add(user);
            if (page.Count == PageSize)
            {
                await SavePageAsync(page, seen, report, now, cancellationToken).ConfigureAwait(false);
                page.Clear();
            }

            return true;
        });
        await iterator.IterateAsync(cancellationToken).ConfigureAwait(false);
        await SavePageAsync(page, seen, report, now, cancellationToken).ConfigureAwait(false);
        await DeactivateLeaversAsync(seen, report, now, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task SavePageAsync(List<User> users, HashSet<string> seen, BaselineReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var ids = users.Select(u => u.Id!).ToList();
        Counts.Find();
        var existing = await db.Employees
            .Where(e => e.TenantId == tenantId && ids.Contains(e.DirectoryId))
            .ToDictionaryAsync(e => e.DirectoryId, StringComparer.OrdinalIgnoreCase, cancellationToken)
            .ConfigureAwait(false);
        foreach (var user in users)
        {
            report.Read++;
            var email = user.Mail
                ?? user.ProxyAddresses?.FirstOrDefault(p => p.StartsWith("SMTP:", StringComparison.Ordinal))?[5..]
                ?? user.OtherMails?.FirstOrDefault();
            if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(user.GivenName) || string.IsNullOrWhiteSpace(user.Surname))
            {
                report.Skipped++;
                continue;
            }

            seen.Add(user.Id!);
            if (!existing.TryGetValue(user.Id!, out var employee))
            {
                employee = new BaselineEmployee { TenantId = tenantId, DirectoryId = user.Id! };
                db.Employees.Add(employee);
            }

            employee.Email = email.Trim();
            employee.FirstName = user.GivenName;
            employee.LastName = user.Surname;
            employee.DisplayName = user.DisplayName;
            employee.Phone = user.BusinessPhones?.FirstOrDefault();
            employee.JobTitle = user.JobTitle;
            employee.Department = user.Department;
            employee.Mobile = user.MobilePhone;
            employee.Fax = user.FaxNumber;
            employee.Company = user.CompanyName;
            employee.Street = user.StreetAddress;
            employee.City = user.City;
            employee.State = user.State;
            employee.PostalCode = user.PostalCode;
            employee.Country = user.Country;
            if (employee.DeactivatedAt is not null)
            {
                employee.DeactivatedAt = null;
            }
        }

        var written = await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (written > 0)
        {
            Counts.Batch(written);
        }

        report.Written += written;
    }

    private async Task DeactivateLeaversAsync(HashSet<string> seen, BaselineReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<string> gone;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            Counts.Find();
            gone = [];
            await foreach (var id in db.Employees.AsNoTracking().Where(e => e.TenantId == tenantId && e.DeactivatedAt == null).Select(e => e.DirectoryId).AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (!seen.Contains(id))
                {
                    gone.Add(id);
                }
            }
        }

        foreach (var chunk in gone.Chunk(PageSize))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            Counts.Find();
            foreach (var employee in await db.Employees.Where(e => e.TenantId == tenantId && chunk.Contains(e.DirectoryId)).ToListAsync(cancellationToken).ConfigureAwait(false))
            {
                employee.DeactivatedAt = now;
            }

            var written = await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            Counts.Batch(written);
            report.Written += written;
            report.Deactivated += written;
        }
    }
}

internal sealed class BaselineReport
{
    public int Read { get; set; }

    public int Skipped { get; set; }

    public int Written { get; set; }

    public int Deactivated { get; set; }
}

internal sealed class BaselineEmployee
{
    public int Id { get; set; }

    public required string TenantId { get; set; }

    public required string DirectoryId { get; set; }

    public string? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? DisplayName { get; set; }

    public string? Phone { get; set; }

    public string? JobTitle { get; set; }

    public string? Department { get; set; }

    public string? Mobile { get; set; }

    public string? Fax { get; set; }

    public string? Company { get; set; }

    public string? Street { get; set; }

    public string? City { get; set; }

    public string? State { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }

    public DateTimeOffset? DeactivatedAt { get; set; }
}

internal sealed class BaselineContext(DbContextOptions<BaselineContext> options) : DbContext(options)
{
    public DbSet<BaselineEmployee> Employees => Set<BaselineEmployee>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var employee = modelBuilder.Entity<BaselineEmployee>();
        employee.HasIndex(e => new { e.TenantId, e.DirectoryId }).IsUnique();
    }
}
