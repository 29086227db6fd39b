using Npgsql;

namespace EntraSync.Quartz.TestHost;

/// <summary>
/// Wraps the scheduled sync to record, in the shared database, each run this node starts and how it ended, so the
/// tests can check that every slot ran once, never two at once, on which node.
/// </summary>
public sealed class RecordingScheduledSync(IScheduledSync inner, ISyncStateStore state, NpgsqlDataSource database, string node) : IScheduledSync
{
    public const string Ddl = """
        create table if not exists fleet_runs (
            id bigserial primary key,
            node text not null,
            tenant text not null,
            slot timestamptz,
            started_at timestamptz,
            finished_at timestamptz,
            outcome text,
            begun timestamptz not null default clock_timestamp(),
            ended timestamptz)
        """;

    public ValueTask<ScheduledSyncResult> PlanAsync(SyncProfile profile, CancellationToken cancellationToken = default) =>
        inner.PlanAsync(profile, cancellationToken);

    public async ValueTask<ScheduledSyncResult> RunIfDueAsync(SyncProfile profile, CancellationToken cancellationToken = default)
    {
        var slot = (await state.GetTenantStateAsync(profile.TenantId, cancellationToken))?.NextRunAt;
        long id;
        await using (var insert = database.CreateCommand("insert into fleet_runs (node, tenant, slot) values ($1, $2, $3) returning id"))
        {
            insert.Parameters.AddWithValue(node);
            insert.Parameters.AddWithValue(profile.TenantId);
            insert.Parameters.AddWithValue(slot is { } s ? s : DBNull.Value);
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        var result = await inner.RunIfDueAsync(profile, cancellationToken);
        await using var update = database.CreateCommand(result.Report is { } report
            ? "update fleet_runs set started_at = $2, finished_at = $3, outcome = $4, ended = clock_timestamp() where id = $1"
            : "delete from fleet_runs where id = $1");
        update.Parameters.AddWithValue(id);
        if (result.Report is { } r)
        {
            update.Parameters.AddWithValue(r.StartedAt);
            update.Parameters.AddWithValue(r.FinishedAt);
            update.Parameters.AddWithValue(r.Outcome.ToString());
        }

        await update.ExecuteNonQueryAsync(CancellationToken.None);
        return result;
    }
}
