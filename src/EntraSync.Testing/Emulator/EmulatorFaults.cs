using System.Text.Json;
using EntraSync.Testing.Emulator.Internal;

namespace EntraSync.Testing.Emulator;

/// <summary>
/// Faults injected into Graph (<c>/v1.0/...</c>) responses. The same knobs are set at run time with
/// <c>POST /_emulator/faults</c> and a JSON body such as <c>{"status":429,"retryAfterSeconds":1.5,"rate":0.3}</c>,
/// <c>{"status":503,"rate":0.1}</c>, <c>{"latencyMs":100}</c>, <c>{"cutOffRate":0.05}</c> or <c>{"reset":true}</c>;
/// a POST changes only the knobs it names. Sampling is deterministic for a given <see cref="GraphEmulatorOptions.Seed"/>.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private readonly Random _random;

    internal EmulatorFaults(int seed) => _random = new Random(seed);

    /// <summary>Gets or sets the error status to answer with (e.g. 429, 500, 503, 504), or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? Status { get; set; }

    /// <summary>Gets or sets the share of requests (0..1) that get <see cref="Status"/>.</summary>
    /// <value>The default is 1: every request.</value>
    public double Rate { get; set; } = 1;

    /// <summary>
    /// Gets or sets the <c>Retry-After</c> seconds sent with the error status (fractional values are sent as such,
    /// e.g. <c>1.5</c>). <see langword="null"/> sends none with 5xx; a 429 then gets <c>Retry-After: 1</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public double? RetryAfterSeconds { get; set; }

    /// <summary>Gets or sets latency added to every Graph request, waited on the emulator's clock.</summary>
    /// <value>The default is 0.</value>
    public int LatencyMs { get; set; }

    /// <summary>Gets or sets the share of successful responses (0..1) whose body is cut off mid-way and the connection aborted.</summary>
    /// <value>The default is 0.</value>
    public double CutOffRate { get; set; }

    /// <summary>Gets or sets the share of requests (0..1) whose connection is reset before any response.</summary>
    /// <value>The default is 0.</value>
    public double ConnectionResetRate { get; set; }

    /// <summary>
    /// Gets or sets how many more faults (status, cut-off or reset) to inject before faults stop; <see langword="null"/> = no limit.
    /// Use 1 with rate 1 for "fail once, then succeed".
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? Count { get; set; }

    /// <summary>
    /// Gets or sets a fragment (case-insensitive) a request's path and query must contain to be faulted, for example
    /// <c>/manager</c>, or <c>skiptoken</c> for next pages only; <see langword="null"/> = all.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? PathContains { get; set; }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Status = null;
            Rate = 1;
            RetryAfterSeconds = null;
            LatencyMs = 0;
            CutOffRate = 0;
            ConnectionResetRate = 0;
            Count = null;
            PathContains = null;
        }
    }

    internal void Apply(JsonElement body)
    {
        lock (_gate)
        {
            foreach (var property in body.EnumerateObject())
            {
                var v = property.Value;
                switch (property.Name.ToLowerInvariant())
                {
                    case "reset" when v.ValueKind == JsonValueKind.True:
                        Reset();
                        break;
                    case "status":
                        Status = v.ValueKind == JsonValueKind.Null ? null : v.GetInt32();
                        break;
                    case "rate":
                        Rate = v.GetDouble();
                        break;
                    case "retryafterseconds":
                        RetryAfterSeconds = v.ValueKind == JsonValueKind.Null ? null : v.GetDouble();
                        break;
                    case "latencyms":
                        LatencyMs = v.GetInt32();
                        break;
                    case "cutoffrate":
                        CutOffRate = v.GetDouble();
                        break;
                    case "connectionresetrate":
                        ConnectionResetRate = v.GetDouble();
                        break;
                    case "count":
                        Count = v.ValueKind == JsonValueKind.Null ? null : v.GetInt32();
                        break;
                    case "pathcontains":
                        PathContains = v.ValueKind == JsonValueKind.Null ? null : v.GetString();
                        break;
                    default:
                        throw new FormatException($"Unknown fault setting '{property.Name}'.");
                }
            }
        }
    }

    internal void WriteTo(Utf8JsonWriter writer)
    {
        lock (_gate)
        {
            writer.WriteStartObject();
            if (Status is { } s)
            {
                writer.WriteNumber("status", s);
            }
            else
            {
                writer.WriteNull("status");
            }

            writer.WriteNumber("rate", Rate);
            if (RetryAfterSeconds is { } r)
            {
                writer.WriteNumber("retryAfterSeconds", r);
            }
            else
            {
                writer.WriteNull("retryAfterSeconds");
            }

            writer.WriteNumber("latencyMs", LatencyMs);
            writer.WriteNumber("cutOffRate", CutOffRate);
            writer.WriteNumber("connectionResetRate", ConnectionResetRate);
            if (Count is { } c)
            {
                writer.WriteNumber("count", c);
            }
            else
            {
                writer.WriteNull("count");
            }

            writer.WriteString("pathContains", PathContains);
            writer.WriteEndObject();
        }
    }

    internal FaultDecision Decide(string path)
    {
        lock (_gate)
        {
            var decision = new FaultDecision { LatencyMs = LatencyMs };
            if (PathContains is { } fragment && !path.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return decision with { LatencyMs = 0 };
            }

            if (Count is <= 0)
            {
                return decision;
            }

            if (ConnectionResetRate > 0 && _random.NextDouble() < ConnectionResetRate)
            {
                Consume();
                return decision with { Reset = true };
            }

            if (Status is { } status && Rate > 0 && _random.NextDouble() < Rate)
            {
                Consume();
                return decision with { Status = status, RetryAfterSeconds = RetryAfterSeconds ?? (status == 429 ? 1 : null) };
            }

            if (CutOffRate > 0 && _random.NextDouble() < CutOffRate)
            {
                Consume();
                return decision with { CutOff = true };
            }

            return decision;
        }
    }

    private void Consume()
    {
        if (Count is { } c)
        {
            Count = c - 1;
        }
    }
}
