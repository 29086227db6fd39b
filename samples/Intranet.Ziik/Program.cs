// Intranet (Ziik-style): `dotnet run --project samples/Intranet.Ziik` and open the URL it prints.
// While the integration has no credentials it syncs from a built-in demo tenant; see docs/samples.md.
using Intranet.Ziik;

var app = IntranetApp.Build(args);
app.Run();
