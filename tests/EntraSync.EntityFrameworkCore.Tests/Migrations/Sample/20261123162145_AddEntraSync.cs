using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntraSync.EntityFrameworkCore.Tests.Migrations.Sample
{
    /// <inheritdoc />
    public partial class AddEntraSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EntraSyncCheckpoints",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LastFullReadAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncCheckpoints", x => x.TenantId);
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncRunLeases",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncRunLeases", x => x.TenantId);
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Report = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncStagedRemovals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Removals = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncStagedRemovals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncTenantStates",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    NextRunAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    NextFullRunAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LastRunAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LastSuccessAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    LastFailureKind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastFailureMessage = table.Column<string>(type: "TEXT", nullable: true),
                    QuarantinedUntil = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    ProfileVersion = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncTenantStates", x => x.TenantId);
                });

            migrationBuilder.CreateTable(
                name: "SyncedEmployees",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DirectoryId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Fields = table.Column<string>(type: "TEXT", nullable: true),
                    Assignment = table.Column<string>(type: "TEXT", nullable: true),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PhotoETag = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Photo = table.Column<byte[]>(type: "BLOB", nullable: true),
                    DeactivatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncedEmployees", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EntraSyncRuns_TenantId_Id",
                table: "EntraSyncRuns",
                columns: new[] { "TenantId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EntraSyncStagedRemovals_TenantId",
                table: "EntraSyncStagedRemovals",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncedEmployees_TenantId_DirectoryId",
                table: "SyncedEmployees",
                columns: new[] { "TenantId", "DirectoryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncedEmployees_TenantId_NormalizedEmail",
                table: "SyncedEmployees",
                columns: new[] { "TenantId", "NormalizedEmail" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EntraSyncCheckpoints");

            migrationBuilder.DropTable(
                name: "EntraSyncRunLeases");

            migrationBuilder.DropTable(
                name: "EntraSyncRuns");

            migrationBuilder.DropTable(
                name: "EntraSyncStagedRemovals");

            migrationBuilder.DropTable(
                name: "EntraSyncTenantStates");

            migrationBuilder.DropTable(
                name: "SyncedEmployees");
        }
    }
}
