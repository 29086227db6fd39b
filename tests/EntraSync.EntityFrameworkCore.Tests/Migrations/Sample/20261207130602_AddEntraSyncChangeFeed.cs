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
                name: "EntraSyncChangeEvents",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    RunId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DirectoryId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EmployeeKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    ChangedFields = table.Column<string>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntraSyncChangeEvents", x => new { x.TenantId, x.Sequence });
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EntraSyncChangeEvents");

            migrationBuilder.DropTable(
                name: "EntraSyncChangeFeedAcknowledgements");

            migrationBuilder.DropTable(
                name: "EntraSyncChangeFeedPositions");
        }
    }
}
