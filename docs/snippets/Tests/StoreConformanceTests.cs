// Compiled and run by tests/EntraSync.Docs.Tests: the conformance suite over the store of docs/writing-a-store.md,
// written as docs/efcore-store.md and docs/testing.md show it (over MyStore, the in-memory stand-in of Shared.cs).
using EntraSync;
using EntraSync.Testing.Conformance;
using Snippets;

namespace Snippets.Tests;

public sealed class MyStoreTests
{
    public static TheoryData<string> Cases => [.. EmployeeStoreConformance.Names];

    [Theory, MemberData(nameof(Cases))]
    public Task Conforms(string name) => EmployeeStoreConformance.Get(name).RunAsync(new MyStoreTarget(), default);
}

public sealed class MyStoreTarget : IStoreConformanceTarget
{
    private readonly MySyncStateStore _state = new();
    private readonly MyStore _employees;

    public MyStoreTarget() => _employees = new MyStore(_state);

    public IEmployeeStore Employees => _employees;

    public ISyncStateStore State => _state;

    public ValueTask<string> AddLocalEmployeeAsync(string tenantId, string? email, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_employees.AddLocal(tenantId, email));
}

public sealed class MyStateStoreTests
{
    public static TheoryData<string> Cases => [.. SyncStateStoreConformance.Names];

    [Theory, MemberData(nameof(Cases))]
    public Task Conforms(string name) => SyncStateStoreConformance.Get(name).RunAsync(new MyStoreTarget(), default);
}

/// <summary>The complete store of docs/writing-a-store.md passes the same suite.</summary>
public sealed class MyEmployeeStoreTests
{
    public static TheoryData<string> Cases => [.. EmployeeStoreConformance.Names];

    [Theory, MemberData(nameof(Cases))]
    public Task Conforms(string name) => EmployeeStoreConformance.Get(name).RunAsync(new MyEmployeeStoreTarget(), default);

    private sealed class MyEmployeeStoreTarget : IStoreConformanceTarget
    {
        private readonly MySyncStateStore _state = new();
        private readonly MyEmployeeStore _employees;

        public MyEmployeeStoreTarget() => _employees = new MyEmployeeStore(_state);

        public IEmployeeStore Employees => _employees;

        public ISyncStateStore State => _state;

        public ValueTask<string> AddLocalEmployeeAsync(string tenantId, string? email, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_employees.AddLocal(tenantId, email));
    }
}
