using EntraSync.EntityFrameworkCore.Tests.TestSupport;
using EntraSync.Testing.Conformance;

namespace EntraSync.EntityFrameworkCore.Tests;

public static class ConformanceData
{
    public static TheoryData<string> EmployeeCases => [.. EmployeeStoreConformance.Names];

    public static TheoryData<string> StateCases => [.. SyncStateStoreConformance.Names];

    public static TheoryData<string> ApprovalCases => EngineApprovalsOverStores.Names;
}

public sealed class InMemoryConformanceTests
{
    [Theory]
    [MemberData(nameof(ConformanceData.EmployeeCases), MemberType = typeof(ConformanceData))]
    public Task Employee_store(string name) => EmployeeStoreConformance.Get(name).RunAsync(new InMemoryTarget(), CancellationToken.None);

    [Theory]
    [MemberData(nameof(ConformanceData.StateCases), MemberType = typeof(ConformanceData))]
    public Task Sync_state_store(string name) => SyncStateStoreConformance.Get(name).RunAsync(new InMemoryTarget(), CancellationToken.None);

    [Theory]
    [MemberData(nameof(ConformanceData.ApprovalCases), MemberType = typeof(ConformanceData))]
    public Task Engine_approvals(string name) => EngineApprovalsOverStores.Get(name).RunAsync(new InMemoryTarget(), CancellationToken.None);
}

public sealed class SqliteConformanceTests(SqliteDatabase database) : IClassFixture<SqliteDatabase>
{
    [Theory]
    [MemberData(nameof(ConformanceData.EmployeeCases), MemberType = typeof(ConformanceData))]
    public async Task Employee_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await EmployeeStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(ConformanceData.StateCases), MemberType = typeof(ConformanceData))]
    public async Task Sync_state_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await SyncStateStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(ConformanceData.ApprovalCases), MemberType = typeof(ConformanceData))]
    public async Task Engine_approvals(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await EngineApprovalsOverStores.Get(name).RunAsync(target, CancellationToken.None);
    }
}

public sealed class PostgresConformanceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [SkippableTheory]
    [MemberData(nameof(ConformanceData.EmployeeCases), MemberType = typeof(ConformanceData))]
    public async Task Employee_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await EmployeeStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }

    [SkippableTheory]
    [MemberData(nameof(ConformanceData.StateCases), MemberType = typeof(ConformanceData))]
    public async Task Sync_state_store(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await SyncStateStoreConformance.Get(name).RunAsync(target, CancellationToken.None);
    }

    [SkippableTheory]
    [MemberData(nameof(ConformanceData.ApprovalCases), MemberType = typeof(ConformanceData))]
    public async Task Engine_approvals(string name)
    {
        await using var target = await EfTarget.CreateAsync(database);
        await EngineApprovalsOverStores.Get(name).RunAsync(target, CancellationToken.None);
    }
}
