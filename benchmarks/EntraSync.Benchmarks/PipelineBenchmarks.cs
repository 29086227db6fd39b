using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using EntraSync.Email;
using EntraSync.Filtering;
using EntraSync.Graph.Internal;
using EntraSync.Mapping;
using EntraSync.Matching;
using EntraSync.Retention;
using EntraSync.Sync.Evaluation;
using EntraSync.Sync.Running;
using EntraSync.Testing;
using EntraSync.Testing.Emulator;

namespace EntraSync.Benchmarks;

/// <summary>
/// The engine's steps for one Graph page of 999 generated users (the emulator's bytes, recorded once), each alone:
/// parsing the page, resolving emails and filtering, mapping fields, hashing the records, and planning the page
/// against a store that holds nobody (every user a create) and one that holds everybody unchanged (a rerun).
/// Divide by 999 for the cost per user. The end-to-end figures are in benchmarks/EntraSync.Benchmarks.EndToEnd.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[BenchmarkDotNet.Attributes.InProcess]
public class PipelineBenchmarks
{
    private const int PageSize = 999;

    private readonly FieldMapper _mapper = new();
    private readonly UserFilter _filter = new();
    private readonly AssignmentMatcher _matcher = new();
    private byte[] _page = null!;
    private PropertySchema _schema = null!;
    private SyncContext _context = null!;
    private List<DirectoryUser> _users = null!;
    private List<(string? Email, IReadOnlyDictionary<string, string?> Fields)> _mapped = null!;
    private List<EmployeeRecord> _records = null!;
    private PageStore _empty = null!;
    private PageStore _unchanged = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        await using var emulator = await GraphEmulator.StartAsync(new() { DefaultTenantUserCount = PageSize, Seed = 42, RequestLogCapacity = 0 });
        var profile = new SyncProfile { TenantId = emulator.DefaultTenant.Id };
        _context = new SyncContext { TenantId = profile.TenantId, RunId = "benchmark", Profile = profile, StartedAt = DateTimeOffset.UnixEpoch };
        var properties = UserEvaluator.RequiredProperties(_context, _mapper, _filter, _matcher);
        var request = new DirectoryReadRequest { Context = _context, Properties = properties };
        var plan = ReadPlan.Create(request);
        _schema = plan.Schema;
        using var http = emulator.CreateHttpClient();
        _page = await http.GetByteArrayAsync(new Uri($"{emulator.GraphBaseUrl}/users?$select={string.Join(',', plan.Select)}&$top={PageSize}"));
        _users = (await ReadPageAsync()).Users;
        _mapped = [.. _users.Select(u => EmailResolver.Resolve(u, profile.Email) is var email ? (email, _mapper.Map(u, email, _context)) : default)];
        _records = [.. _mapped.Select(m => new EmployeeRecord { Email = m.Email, Fields = m.Fields })];
        _empty = new PageStore([]);
        var capture = new PageStore([]);
        await NewRun(capture).ProcessPageAsync(new DirectoryPage { Users = _users }, CancellationToken.None);
        _unchanged = new PageStore([.. capture.Written.Select((c, i) => new StoredEmployee
        {
            Key = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DirectoryId = c.DirectoryId,
            Email = c.Record!.Email,
            ContentHash = c.ContentHash,
            Fields = c.Record.Fields,
        })]);
    }

    [Benchmark(Description = "parse a page (999 users)")]
    public async Task<int> ParsePage() => (await ReadPageAsync()).Users.Count;

    private ValueTask<GraphPage> ReadPageAsync() => new GraphPageReader(_schema).ReadAsync(new MemoryStream(_page, writable: false), CancellationToken.None);

    [Benchmark(Description = "resolve email + filter (999)")]
    public int ResolveAndFilter()
    {
        var inScope = 0;
        foreach (var user in _users)
        {
            _ = EmailResolver.Resolve(user, _context.Profile.Email);
            inScope += _filter.Evaluate(user, _context).IsInScope ? 1 : 0;
        }

        return inScope;
    }

    [Benchmark(Description = "map fields (999)")]
    public int Map()
    {
        var fields = 0;
        for (var i = 0; i < _users.Count; i++)
        {
            fields += _mapper.Map(_users[i], _mapped[i].Email, _context).Count;
        }

        return fields;
    }

    [Benchmark(Description = "content hash (999)")]
    public int Hash()
    {
        var length = 0;
        foreach (var record in _records)
        {
            length += ContentHash.Compute(record).Length;
        }

        return length;
    }

    [Benchmark(Description = "plan a page, store empty (999 creates)")]
    public Task PlanNewPage() => NewRun(_empty).ProcessPageAsync(new DirectoryPage { Users = _users }, CancellationToken.None);

    [Benchmark(Description = "plan a page, all unchanged (rerun)")]
    public Task PlanUnchangedPage() => NewRun(_unchanged).ProcessPageAsync(new DirectoryPage { Users = _users }, CancellationToken.None);

    private SyncRun NewRun(IEmployeeStore store) => new(
        _context,
        new SyncServices(new InMemoryDirectory(), store, new InMemorySyncStateStore(), _mapper, _filter, _matcher, new RetentionPolicy()),
        1_000,
        leaseGeneration: 1);

    /// <summary>Answers every lookup with the same employees and keeps the last batch written.</summary>
    private sealed class PageStore(IReadOnlyList<StoredEmployee> employees) : IEmployeeStore
    {
        public IReadOnlyList<EmployeeChange> Written { get; private set; } = [];

        public ValueTask<IReadOnlyList<StoredEmployee>> FindAsync(string tenantId, IReadOnlyCollection<string> directoryIds, IReadOnlyCollection<string> emails, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(employees);

        public async IAsyncEnumerable<StoredEmployee> ReadLinkedAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }

        public ValueTask ApplyAsync(string tenantId, IReadOnlyList<EmployeeChange> changes, long leaseGeneration, CancellationToken cancellationToken = default)
        {
            Written = changes;
            return ValueTask.CompletedTask;
        }
    }
}
