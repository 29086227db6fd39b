namespace EntraSync.Testing.Emulator.Internal;

/// <summary>What the injected faults do to one request.</summary>
internal readonly record struct FaultDecision(int LatencyMs, int? Status, double? RetryAfterSeconds, bool CutOff, bool Reset);
