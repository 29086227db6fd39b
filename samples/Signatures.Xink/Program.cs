// Signatures (Xink-style): `dotnet run --project samples/Signatures.Xink` and open the URL it prints.
// With no credentials configured it syncs from a built-in demo tenant; see docs/samples.md for real ones.
using Signatures.Xink;

var app = SignaturesApp.Build(args);
app.Run();
