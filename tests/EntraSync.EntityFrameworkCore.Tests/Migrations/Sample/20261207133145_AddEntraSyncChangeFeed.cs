using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EntraSync.EntityFrameworkCore.Tests.Migrations.Sample
{
    /// <inheritdoc />
    public partial class AddEntraSyncChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EntraSyncChangeEventBatches",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Events = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncChangeEventBatches", x => new { x.TenantId, x.FirstSequence });
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncChangeFeedAcknowledgements",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Handler = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncChangeFeedAcknowledgements", x => new { x.TenantId, x.Handler });
                });

            migrationBuilder.CreateTable(
                name: "EntraSyncChangeFeedPositions",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncChangeFeedPositions", x => x.TenantId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EntraSyncChangeEventBatches_TenantId_LastSequence",
                table: "EntraSyncChangeEventBatches",
                columns: new[] { "TenantId", "LastSequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EntraSyncChangeEventBatches");

            migrationBuilder.DropTable(
                name: "EntraSyncChangeFeedAcknowledgements");

            migrationBuilder.DropTable(
                name: "EntraSyncChangeFeedPositions");
        }
    }
}
